"""Quality of `duban plan extract` on hand-labelled documents, per document and pooled per group.

`python bench/extraction_quality.py` — the self-written documents (tests/extraction/), the
seed, the real corpus's parts (tests/extraction/real/: dev, validation, every heldoutN); `--corpus DIR`
(repeatable) adds a group for any folder of `NAME.txt` + `NAME.labels.yaml`; `--pooled`
prints only the one row per group; `--by-genre` adds, per group, a row for its plans and one for
its other genres (from each labels file's genre note, `scoring.genre`). A pooled row adds up its
documents' counts; the last rows pool every part of the real corpus. Task precision (the share of
extracted tasks that match a labelled one) means something only where every task clause was
labelled: heldout3 onwards, by the guide; the seed, dev, validation, heldout1–2 and the
self-written documents label a part of theirs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.extraction.scoring import HERE, Score, documents, genre, pooled, real_parts, score

HEADER = (
    f"{'document':<34} {'targets':>7} {'prec.':>6} {'recall':>6} {'F1':>5} {'names':>6} "
    f"{'tasks found':>13} {'task prec.':>10} {'kind prec.':>10} {'units+deadline':>14}"
)


def row(s: Score) -> str:
    return (
        f"{s.name[:34]:<34} {s.targets_labelled:>7} {s.precision:>6.2f} {s.recall:>6.2f} "
        f"{s.f1:>5.2f} {s.name_quality:>6.2f} {s.tasks_found_share:>5.2f} "
        f"{s.tasks_found:>3}/{s.tasks_labelled:<3} {s.task_precision:>10.2f} {s.kind_accuracy:>10.2f} "
        f"{s.units_right:>7}/{s.units_labelled:<6}"
    )


def groups(corpora: list[Path]) -> list[tuple[str, list[tuple[str, Path, Path]]]]:
    own = documents(HERE)
    found = [
        ("self-written", [d for d in own if d[0] != "seed"]),
        ("seed", [d for d in own if d[0] == "seed"]),
        *((f"real {part}", documents(HERE / "real" / part)) for part in real_parts()),
    ]
    return found + [(f"corpus {folder.resolve().name}", documents(folder)) for folder in corpora]


def pooled_rows(name: str, scored: list[tuple[Score, Path]], *, by_genre: bool) -> list[Score]:
    """A group's pooled row, and with `by_genre` (for the real corpus's groups and `--corpus`
    ones) a row for its plans and one for its other genres."""
    rows = [pooled(f"{name} ({len(scored)} docs)", [s for s, _ in scored])]
    if by_genre and name.startswith(("real", "corpus")):
        for kind in ("plan", "other"):
            part = [s for s, labels in scored if genre(labels) == kind]
            rows.append(pooled(f"  {kind} ({len(part)} docs)", part))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR")
    parser.add_argument("--pooled", action="store_true", help="only one row per group")
    parser.add_argument("--by-genre", action="store_true", help="a row for plans, one for the rest")
    args = parser.parse_args()
    totals = []
    real: list[tuple[Score, Path]] = []  # every real part's documents, for the corpus's own rows
    for name, docs in groups(args.corpus):
        scored = [(score(*doc), doc[2]) for doc in docs]
        group = pooled_rows(name, scored, by_genre=args.by_genre)
        totals += group
        if name.startswith("real"):
            real += scored
        if not args.pooled:
            print(f"\n== {name}\n{HEADER}")
            for s, _ in scored:
                print(row(s))
            print(row(group[0]))
    totals += pooled_rows("real, every part", real, by_genre=args.by_genre)
    print(f"\n== pooled per group (micro-averaged)\n{HEADER}")
    for total in totals:
        print(row(total))


if __name__ == "__main__":
    main()
