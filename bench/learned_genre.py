"""A learned "news or review" step for a page's figures, measured on sets it never saw; not taken.

The rules know a review, a progress notice or a news story of results by a heading (工作总结), by
its opening (成效显著) or by words of the past outnumbering words of the future four to one
(`tense.tells_the_past`); its figures are then statistics unless their own sentence commits to
them. Many say so in neither way ("近日,记者从…获悉,…共计资助3272人次"). The step measured here:
a logistic regression over a page's characters and character pairs (as the extractor reads it:
simplified, without reading aids), trained on the genre each labeller gave the corpus's passages
(plan or other), kept to its `KEEP` strongest features; a page it is sure of (over `SURE`) whose
words of the past are two at least and no fewer than its words of the future reports its figures.

`python bench/learned_genre.py` reads every labelled real passage (dev, validation, every
heldoutN but those named in `--skip`) and extracts each twice: as the rules read it, and as a
report. Then, leaving one block of heldout sets out at a time (1–20, 21–40, 41–64, 65–92, 93 on)
and training on all the others, the step decides each left-out passage; it prints targets F1 for
the rules and with the step, for plans, other genres and all, per block and pooled, and how many
passages the step read as reports. Plain stochastic gradient descent (no dependency); about a
minute on this machine.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duban.tasks.extract.document as document  # noqa: E402
from duban.tasks.extract.clean import clean  # noqa: E402
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

KEEP = 1000  # the features kept: the strongest by weight (4,000 or 20,000 score the same)
SURE = 0.9  # 0.8 and 0.95 score the same within 0.001
EPOCHS, L2, RATE = 20, 1e-3, 0.05
SPACE = re.compile(r"\s+")


@dataclass
class Passage:
    part: str
    name: str
    genre: str
    features: set[str]
    leans_past: bool  # words of the past two at least, and no fewer than those of the future
    rules: Score  # extracted as the rules read it
    reported: Score  # …and as a report


def features(text: str) -> set[str]:
    """The characters of `text` and its pairs of neighbouring characters, without spaces."""
    plain = SPACE.sub("", text)
    return {*plain, *(plain[i : i + 2] for i in range(len(plain) - 1))}


def collect(skip: set[str]) -> list[Passage]:
    passages = []
    rules = document.tells_the_past
    try:
        for part in real_parts():
            if part in skip:
                continue
            for name, source, labels_path in documents(HERE / "real" / part):
                text = reading_copy(clean(source.read_bytes())[0])[0]
                past, future = words_of_the_past_and_future(text)
                scores = []
                for reads in (rules, lambda _text: True):
                    document.tells_the_past = reads  # type: ignore[assignment]
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
        document.tells_the_past = rules  # type: ignore[assignment]
    return passages


def train(rows: list[tuple[set[str], bool]]) -> tuple[dict[str, float], float]:
    """Weights and bias of a logistic regression, by stochastic gradient descent (seeded, so
    the same corpus gives the same model), kept to the `KEEP` strongest features."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip", default="", help="sets to leave out entirely: heldout129,…")
    args = parser.parse_args()
    passages = collect({s for s in args.skip.split(",") if s})
    decided: dict[int, bool] = {}
    groups = blocks([p.part for p in passages])
    for _, parts in groups:
        weights, bias = train(
            [(p.features, p.genre == "other") for p in passages if p.part not in parts]
        )
        for p in passages:
            if p.part in parts:
                decided[id(p)] = p.leans_past and _probability(weights, bias, p.features) > SURE
    print(f"{'left out':<22}{'':>8}{'rules F1':>10}{'with step':>11}  read as reports")
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
