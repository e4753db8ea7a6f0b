"""Learned steps for "target or statistic", measured against the rules on sets they never saw,
and the one Duban ships (`tasks/extract/learned.py`) trained.

`python bench/learned_targets.py` reads every labelled real passage (dev, validation, every
heldoutN), takes every figure the extractor weighs (each number with a unit, with the rules'
verdict) and marks it by the labels (a label with its value and unit, each used once). Then,
leaving one block of sets out at a time (heldout1–20, 21–40, 41–64, 65 on) and training on all
the others:

- candidate: a logistic regression over the rules' verdict, the characters around the figure,
  cue words in its sentence, paragraph and title, and the year it names against the document's;
- document: a logistic regression over a passage's characters that says "this passage reports
  only" (sure at 0.98) and then drops every target the rules found in it;
- second opinion (shipped): the rules, and a figure they read as a statistic in a planning part
  where the model trained on such figures alone is sure (`learned.SURE`) it is a target.

It prints targets precision / recall / F1 for the rules and for each step, per left-out block,
for all its passages and for its plans and its other genres apart (`scoring.genre`), and pooled.
The rules were tuned on every block, so the comparison favours them. Training is plain
stochastic gradient descent (no dependency); about two minutes.

`--until N` trains the second opinion on the sets up to heldoutN and scores the rules against it
on the later ones (run it with the rules as they were before those sets, for a blind figure);
`--write` trains it on every set (or, with `--until N`, on those up to heldoutN) and writes
`tasks/extract/figures.json` (about 40 s; `tests/test_extract.py` checks it saw every passage).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duban.tasks.extract.document as document  # noqa: E402
from duban.tasks.extract import learned  # noqa: E402
from duban.tasks.extract import targets as target_rules  # noqa: E402
from duban.tasks.extract.quantity import QUANTITY  # noqa: E402
from duban.tasks.extract.reading import TABLE  # noqa: E402
from tests.extraction.scoring import HERE, documents, genre, real_parts  # noqa: E402

MIN_SEEN = 3


@dataclass
class Candidate:
    text: str
    start: int
    end: int
    report: bool
    kept: bool  # the rules' verdict
    key: tuple[float, str, str]
    # what the second opinion is asked of: a planning part's figure read as a statistic
    contested: bool = False
    gold: bool = False
    features: list[str] = field(default_factory=list)


@dataclass
class Passage:
    part: str
    genre: str
    title: str
    year: int | None
    gold: list[tuple[float, str, str]]
    candidates: list[Candidate]
    features: list[str] = field(default_factory=list)


def collect() -> list[Passage]:
    """Every figure the rules weigh, found by watching `find_targets` while a passage is read."""
    seen: list[Candidate] = []
    weigh = target_rules.find_targets

    def watching(text: str, **kwargs: Any) -> list[target_rules.Target]:
        kept = weigh(text, **kwargs, second_opinion=False)
        quotes, stated = target_rules.quotations(text)

        def statistic(m: re.Match[str]) -> bool:
            return target_rules._statistic(
                text,
                m,
                stated,
                report=False,
                year=kwargs.get("year"),
                commitments=kwargs.get("commitments", False),
            )

        for match in QUANTITY.finditer(text):
            made = target_rules._target(text, match, [])
            if made is None:
                continue
            contested = (
                not kwargs.get("report", False)
                and target_rules._counted(text, match, quotes, stated, statistic)
                and statistic(match)
            )
            seen.append(
                Candidate(
                    text,
                    match.start(),
                    match.end(),
                    kwargs.get("report", False),
                    any(
                        k.start <= match.start()
                        and match.end() <= k.end
                        and (float(k.value), k.unit) == (float(made.value), made.unit)
                        for k in kept
                    ),
                    (float(made.value), made.unit, made.comparator),
                    contested,
                )
            )
        return kept

    document.find_targets = watching  # type: ignore[assignment]
    passages = []
    try:
        for part in real_parts():
            for _, source, labels_path in documents(HERE / "real" / part):
                seen.clear()
                doc = document.extract(source.read_bytes())
                labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
                gold = [
                    (float(t["value"]), str(t["unit"]).translate(TABLE), t["comparator"])
                    for t in labels["targets"] or []
                ]
                left = list(gold)
                for candidate in seen:
                    hit = next((g for g in left if g[:2] == candidate.key[:2]), None)
                    candidate.gold = hit is not None
                    if hit is not None:
                        left.remove(hit)
                passages.append(
                    Passage(part, genre(labels_path), doc["title"], doc["year"], gold, list(seen))
                )
    finally:
        document.find_targets = weigh  # type: ignore[assignment]
    return passages


def candidate_features(passage: Passage, c: Candidate, *, verdict: bool = True) -> list[str]:
    """What the shipped model weighs (`learned.features`), and the rules' verdict with `verdict`."""
    weighed = learned.features(
        c.text,
        c.start,
        c.end,
        unit=c.key[1],
        comparator=c.key[2],
        report=c.report,
        title=passage.title,
        year=passage.year,
    )
    return [f"rule={c.kept}", *weighed] if verdict else weighed


def passage_features(passage: Passage) -> list[str]:
    texts = list(dict.fromkeys(c.text for c in passage.candidates))
    text = passage.title + "\n" + "\n".join(texts)
    found = {"bias", *(f"g1:{ch}" for ch in text)}
    found |= {f"g2:{text[i : i + 2]}" for i in range(len(text) - 1)}
    return sorted(found)


def train(
    rows: list[tuple[list[str], bool]], *, epochs: int, l2: float, rate: float
) -> dict[str, float]:
    weights: dict[str, float] = defaultdict(float)
    order = random.Random(0)
    rows = list(rows)
    for _ in range(epochs):
        order.shuffle(rows)
        for features, label in rows:
            error = learned.probability(features, weights) - label
            for name in features:
                weights[name] -= rate * (error + l2 * weights[name])
    return weights


def train_second_opinion(passages: list[Passage], *, seen: int = MIN_SEEN) -> dict[str, float]:
    """The shipped model: over the figures it is asked of (`Candidate.contested`), without the
    rules' verdict, weighing only what at least `seen` of them show (a rarer trait teaches
    nothing and weighs the file)."""
    rows = [
        (candidate_features(p, c, verdict=False), c.gold)
        for p in passages
        for c in p.candidates
        if c.contested
    ]
    counts = Counter(name for features, _ in rows for name in set(features))
    rows = [([n for n in features if counts[n] >= seen], gold) for features, gold in rows]
    return train(rows, epochs=30, l2=1e-4, rate=0.1)


def second_opinion(passage: Passage, c: Candidate, weights: dict[str, float]) -> bool:
    """What the shipped step adds: a contested figure the model is sure of (`targets._sure`)."""
    if not c.contested:
        return False
    return (
        learned.probability(candidate_features(passage, c, verdict=False), weights) > learned.SURE
    )


def score(passages: list[Passage], keep: Any) -> tuple[float, float, float]:
    labelled = extracted = matched = 0
    for passage in passages:
        left = list(passage.gold)
        labelled += len(left)
        for candidate in passage.candidates:
            if keep(passage, candidate):
                extracted += 1
                if candidate.key in left:
                    left.remove(candidate.key)
                    matched += 1
    precision = matched / extracted if extracted else 1.0
    recall = matched / labelled if labelled else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def blocks(parts: list[str]) -> list[tuple[str, list[str]]]:
    """The heldout sets in blocks of about twenty, as they were collected (dev and validation
    always train)."""
    numbers = sorted(int(p[7:]) for p in parts if p.startswith("heldout"))
    edges = [(1, 20), (21, 40), (41, 64), (65, max(numbers))]
    return [(f"heldout{a}–{b}", [f"heldout{n}" for n in range(a, b + 1)]) for a, b in edges]


def table(
    passages: list[Passage], groups: list[tuple[str, list[str]]], steps: dict[str, Any]
) -> None:
    print(f"{'left out':<26}" + "".join(f"{name:>22}" for name in steps))
    for name, parts in groups:
        for kind in ("all", "plan", "other"):
            chosen = [p for p in passages if p.part in parts and kind in ("all", p.genre)]
            cells = [score(chosen, keep) for keep in steps.values()]
            label = f"{name}, {kind}"
            print(f"{label:<26}" + "".join(f"  P{p:.2f} R{r:.2f} F1 {f:.3f}" for p, r, f in cells))


def number(part: str) -> int:
    return int(part[7:]) if part.startswith("heldout") else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--until", type=int, help="train on heldout sets up to N only")
    parser.add_argument("--write", action="store_true", help=f"write {learned.WEIGHTS.name}")
    args = parser.parse_args()
    passages = collect()
    if args.until is not None:
        training = [p for p in passages if number(p.part) <= args.until]
        passages = [p for p in passages if number(p.part) > args.until]
    else:
        training = passages
    if args.write:
        write(training)
        return
    if args.until is not None:
        weights = train_second_opinion(training)
        later = sorted({p.part for p in passages}, key=number)
        sure = {id(c): second_opinion(p, c, weights) for p in passages for c in p.candidates}
        steps = {
            "rules": lambda p, c: c.kept,
            "second opinion": lambda p, c: c.kept or sure[id(c)],
        }
        table(passages, [(f"{later[0]}–{number(later[-1])}", later)], steps)
        return
    for passage in passages:
        passage.features = passage_features(passage)
        for candidate in passage.candidates:
            candidate.features = candidate_features(passage, candidate)
    verdicts: dict[int, bool] = {}  # id(candidate) → the candidate step's verdict, left out
    second: dict[int, bool] = {}  # id(candidate) → the shipped model's, left out
    reports_only: dict[int, bool] = {}  # id(passage) → the document step's verdict, left out
    groups = blocks([p.part for p in passages])
    for _, parts in groups:
        training = [p for p in passages if p.part not in parts]
        rows = [(c.features, c.gold) for p in training for c in p.candidates]
        weights = train(rows, epochs=15, l2=1e-4, rate=0.1)
        shipped = train_second_opinion(training)
        only = [
            (p.features, not any(c.gold for c in p.candidates)) for p in training if p.candidates
        ]
        genre_weights = train(only, epochs=30, l2=1e-3, rate=0.05)
        for passage in (p for p in passages if p.part in parts):
            reports_only[id(passage)] = learned.probability(passage.features, genre_weights) > 0.98
            for c in passage.candidates:
                verdicts[id(c)] = learned.probability(c.features, weights) > 0.5
                second[id(c)] = second_opinion(passage, c, shipped)
    steps = {
        "rules": lambda p, c: c.kept,
        "candidate": lambda p, c: verdicts[id(c)],
        "document": lambda p, c: c.kept and not reports_only[id(p)],
        "second opinion": lambda p, c: c.kept or second[id(c)],
    }
    held = [part for _, parts in groups for part in parts]
    table(passages, [*groups, ("all heldout sets", held)], steps)


def write(passages: list[Passage]) -> None:
    """Train the shipped model on the whole real corpus and write `learned.WEIGHTS`."""
    weights = train_second_opinion(passages)
    parts = sorted({p.part for p in passages}, key=number)
    kept = {name: round(w, 4) for name, w in sorted(weights.items()) if abs(w) >= 5e-4}
    trained_on = {
        "parts": f"dev, validation, heldout1–{number(parts[-1])}",
        "passages": len(passages),
        "figures": sum(len(p.candidates) for p in passages),
    }
    learned.WEIGHTS.write_text(
        json.dumps({"trained_on": trained_on, "weights": kept}, ensure_ascii=False, indent=0)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(kept)} weights of {len(weights)} → {learned.WEIGHTS} ({trained_on})")


if __name__ == "__main__":
    main()
