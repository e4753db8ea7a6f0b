"""Precision and recall of `duban plan extract` on the labelled documents.

`python bench/extraction_quality.py` — prints one row per document (tests/extraction/).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.extraction.scoring import documents, score


def main() -> None:
    print(
        f"{'document':<14} {'targets':>8} {'precision':>9} {'recall':>7} {'names':>6} "
        f"{'tasks found':>11} {'kind acc.':>9} {'units+deadline':>14}"
    )
    for name, source, labels in documents():
        s = score(name, source, labels)
        print(
            f"{name:<14} {s.targets_labelled:>8} {s.precision:>9.2f} {s.recall:>7.2f} "
            f"{s.name_quality:>6.2f} {s.tasks_found:>5}/{s.tasks_labelled:<5} "
            f"{s.kind_accuracy:>9.2f} {s.units_right:>7}/{s.units_labelled:<6}"
        )


if __name__ == "__main__":
    main()
