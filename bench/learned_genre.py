"""The learned "news or review" step (`tasks/extract/genre.py`), measured on sets it never saw.

`python bench/learned_genre.py` reads every labelled real passage (dev, validation, every
heldoutN but those named in `--skip`) as the extractor reads it, and extracts each twice: with the
step saying "a report" and saying "not". Then, leaving one block of heldout sets out at a time
(1–20, 21–40, 41–64, 65–92, 93 on) and training on all the others, it lets the step decide each
left-out passage (the model sure at `genre.SURE`, the page's words of the past two at least and
no fewer than its words of the future) and prints targets F1 for the rules without the step and
with it, for plans, other genres and all, per block and pooled, and how many plans it read as
reports. The model is a logistic regression over a page's characters and character pairs (plain
stochastic gradient descent, no dependency), kept to its `KEEP` strongest features as shipped.

`python bench/learned_genre.py --write` trains on every passage (but `--skip`) and writes
`tasks/extract/genre_weights.py`. About a minute on this machine.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duban.tasks.extract.document as document  # noqa: E402
from duban.tasks.extract.clean import clean  # noqa: E402
from duban.tasks.extract.genre import SURE, features  # noqa: E402
from duban.tasks.extract.reading import reading_copy  # noqa: E402
from duban.tasks.extract.tense import words_of_the_past_and_future  # noqa: E402
from tests.extraction.scoring import (  # noqa: E402
    HERE,
    Score,
    documents,
    genre,
    pooled,
    real_parts,
    score,
)

KEEP = 1000  # the features shipped: the strongest by weight
EPOCHS, L2, RATE = 20, 1e-3, 0.05
WEIGHTS_FILE = ROOT / "tasks" / "extract" / "genre_weights.py"


@dataclass
class Passage:
    part: str
    name: str
    genre: str
    features: set[str]
    leans_past: bool  # words of the past two at least, and no fewer than those of the future
    rules: Score  # extracted with the step saying "not a report"
    reported: Score  # …and saying "a report"


def collect(skip: set[str]) -> list[Passage]:
    passages = []
    step = document.reads_as_report
    try:
        for part in real_parts():
            if part in skip:
                continue
            for name, source, labels_path in documents(HERE / "real" / part):
                raw = source.read_bytes()
                text = reading_copy(clean(raw)[0])[0]
                past, future = words_of_the_past_and_future(text)
                scores = []
                for verdict in (False, True):
                    document.reads_as_report = lambda _text, v=verdict: v  # type: ignore[assignment]
                    scores.append(score(name, source, labels_path))
                passages.append(
                    Passage(
                        part,
                        name,
                        genre(labels_path),
                        features(text),
                        past >= 2 and past >= future,
                        *scores,
                    )
                )
    finally:
        document.reads_as_report = step  # type: ignore[assignment]
    return passages


def train(rows: list[tuple[set[str], bool]]) -> tuple[dict[str, float], float]:
    """Weights and bias of a logistic regression, by stochastic gradient descent (seeded, so
    the same corpus gives the same model), kept to the KEEP strongest features."""
    weights: dict[str, float] = defaultdict(float)
    bias = 0.0
    order = random.Random(0)
    rows = [(sorted(f), label) for f, label in rows]
    for _ in range(EPOCHS):
        order.shuffle(rows)
        for names, label in rows:
            error = _probability(weights, bias, names) - label
            bias -= RATE * error
            for name in names:
                weights[name] -= RATE * (error + L2 * weights[name])
    strongest = sorted(weights, key=lambda n: (-abs(weights[n]), n))[:KEEP]
    return {n: round(weights[n], 4) for n in sorted(strongest)}, round(bias, 4)


def _probability(weights: dict[str, float], bias: float, names: object) -> float:
    z = bias + sum(weights.get(n, 0.0) for n in names)  # type: ignore[attr-defined]
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def blocks(parts: list[str]) -> list[tuple[str, list[str]]]:
    numbers = sorted(int(p[7:]) for p in parts if p.startswith("heldout"))
    edges = [(1, 20), (21, 40), (41, 64), (65, 92), (93, max(numbers))]
    return [(f"heldout{a}–{b}", [f"heldout{n}" for n in range(a, b + 1)]) for a, b in edges]


def write(passages: list[Passage], skipped: set[str]) -> None:
    weights, bias = train([(p.features, p.genre == "other") for p in passages])
    left = f" (all but {', '.join(sorted(skipped))})" if skipped else ""
    lines = [
        '"""The weights of `genre.py`\'s model, written by `bench/learned_genre.py --write`',
        f'from the corpus\'s {len(passages)} labelled passages{left}; do not edit by hand."""',
        "",
        f"BIAS = {bias}",
        "WEIGHTS = {",
        *(f"    {name!r}: {weight}," for name, weight in weights.items()),
        "}",
        "",
    ]
    WEIGHTS_FILE.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}: {len(weights)} features")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip", default="", help="sets to leave out entirely: heldout129,…")
    parser.add_argument("--write", action="store_true", help="train on all and write the model")
    args = parser.parse_args()
    skipped = {s for s in args.skip.split(",") if s}
    passages = collect(skipped)
    if args.write:
        write(passages, skipped)
        return
    decided: dict[int, bool] = {}
    groups = blocks([p.part for p in passages])
    for _, parts in groups:
        weights, bias = train(
            [(p.features, p.genre == "other") for p in passages if p.part not in parts]
        )
        for p in passages:
            if p.part in parts:
                decided[id(p)] = p.leans_past and _probability(weights, bias, p.features) > SURE
    print(f"{'left out':<22}{'':>8}{'rules F1':>10}{'with step':>11}  plans read as reports")
    held = [part for _, parts in groups for part in parts]
    for name, parts in [*groups, ("all heldout sets", held)]:
        chosen = [p for p in passages if p.part in parts]
        for kind in ("plan", "other", "all"):
            these = [p for p in chosen if kind in ("all", p.genre)]
            rules = pooled(kind, [p.rules for p in these])
            step = pooled(kind, [p.reported if decided[id(p)] else p.rules for p in these])
            flipped = sum(decided[id(p)] for p in these)
            label = name if kind == "plan" else ""
            print(f"{label:<22}{kind:>8}{rules.f1:>10.3f}{step.f1:>11.3f}  {flipped}/{len(these)}")


if __name__ == "__main__":
    main()
