"""How far two labellers agree on the same passages: the ceiling an extractor is measured against.

`python bench/label_agreement.py` compares each `tests/extraction/real/second/*.second.yaml`
with the first labels of the passage it names, by the rules `extraction_quality.py` scores the
extractor with: a target matches on (value, unit, comparator), each label once; a first task is
found when a second task's text contains it or the reverse, and then its kind is compared.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.extraction.scoring import found_task, matched_targets  # noqa: E402

SECOND = ROOT / "tests" / "extraction" / "real" / "second"


def main() -> None:
    first_targets = second_targets = agreed = 0
    first_tasks = second_tasks = found = kinds_agreed = 0
    for path in sorted(SECOND.glob("*.second.yaml")):
        second = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = (SECOND / second["source"]).resolve()
        first_path = source.with_name(source.stem + ".labels.yaml")
        first = yaml.safe_load(first_path.read_text(encoding="utf-8"))
        agreed += len(matched_targets(first["targets"] or [], second["targets"] or []))
        first_targets += len(first["targets"] or [])
        second_targets += len(second["targets"] or [])
        tasks = second["tasks"] or []
        second_tasks += len(tasks)
        for label in first["tasks"] or []:
            first_tasks += 1
            hit = found_task(label, tasks)
            if hit is not None:
                found += 1
                kinds_agreed += hit["kind"] == label["kind"]
    precision, recall = agreed / second_targets, agreed / first_targets
    f1 = 2 * precision * recall / (precision + recall)
    print(
        f"targets: first {first_targets}, second {second_targets}, agreed {agreed}; the second "
        f"against the first: precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f}"
    )
    print(
        f"tasks: first {first_tasks}, second {second_tasks}; the first's found in the second "
        f"(the bench's rule) {found} = {found / first_tasks:.2f}; "
        f"kinds agreed {kinds_agreed / found:.2f}"
    )


if __name__ == "__main__":
    main()
