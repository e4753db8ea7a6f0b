"""How far two labellers agree on the same passages: the ceiling an extractor is measured against.

`python bench/label_agreement.py` compares each `tests/extraction/real/second/*.second.yaml`
with the first labels of the passage it names, by the rules `extraction_quality.py` scores the
extractor with: a target matches on (value, unit, comparator), each label once; a first task is
found when a second task's text contains it or the reverse, and then its kind is compared. It
prints a row per labelling round (heldout11–12, whole sets; heldout229–256, the plans that hold
targets), and for each the extractor's targets scored against either labeller.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duban.tasks.extract.document import extract  # noqa: E402
from tests.extraction.scoring import found_task, matched_targets  # noqa: E402

SECOND = ROOT / "tests" / "extraction" / "real" / "second"


def f1(matched: int, labelled: int, found: int) -> str:
    precision, recall = matched / found, matched / labelled
    harmonic = 2 * precision * recall / (precision + recall)
    return f"P {precision:.2f} R {recall:.2f} F1 {harmonic:.2f}"


def round_of(path: Path) -> str:
    number = int(path.name.removeprefix("heldout").split("-", 1)[0])
    return "heldout11–12" if number <= 20 else "heldout229–256 plans"


def main() -> None:
    rounds: dict[str, Counter[str]] = {}
    for path in sorted(SECOND.glob("*.second.yaml")):
        counts = rounds.setdefault(round_of(path), Counter())
        second = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = (SECOND / second["source"]).resolve()
        first = yaml.safe_load(
            source.with_name(source.stem + ".labels.yaml").read_text(encoding="utf-8")
        )
        first_targets, second_targets = first["targets"] or [], second["targets"] or []
        counts["first"] += len(first_targets)
        counts["second"] += len(second_targets)
        counts["agreed"] += len(matched_targets(first_targets, second_targets))
        document = extract(source.read_bytes())
        targets = [t for item in document["items"] for t in item["targets"]]
        counts["extracted"] += len(targets)
        counts["extractor_first"] += len(matched_targets(first_targets, targets))
        counts["extractor_second"] += len(matched_targets(second_targets, targets))
        tasks = second["tasks"] or []
        counts["second_tasks"] += len(tasks)
        for label in first["tasks"] or []:
            counts["first_tasks"] += 1
            hit = found_task(label, tasks)
            if hit is not None:
                counts["found"] += 1
                counts["kinds_agreed"] += hit["kind"] == label["kind"]
    for name, c in rounds.items():
        print(f"== {name}")
        print(
            f"targets: first {c['first']}, second {c['second']}, agreed {c['agreed']}; "
            f"the second against the first: {f1(c['agreed'], c['first'], c['second'])}"
        )
        print(
            f"tasks: first {c['first_tasks']}, second {c['second_tasks']}; the first's found in the "
            f"second (the bench's rule) {c['found']} = {c['found'] / c['first_tasks']:.2f}; "
            f"kinds agreed {c['kinds_agreed'] / c['found']:.2f}"
        )
        print(
            f"the extractor's {c['extracted']} targets against the first: "
            f"{f1(c['extractor_first'], c['first'], c['extracted'])}; against the second: "
            f"{f1(c['extractor_second'], c['second'], c['extracted'])}"
        )


if __name__ == "__main__":
    main()
