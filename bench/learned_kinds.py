"""A learned step for a task's kind, measured against the rules on sets it never saw.

`python bench/learned_kinds.py` takes every labelled task the extractor finds in the real corpus
(dev, validation and each heldoutN, but the blind sets named in `--skip`) with its labelled kind,
then, leaving one set out at a time and training on all the others:

- model: naive Bayes over the clause's characters (1–3-grams, and pairs among its last six, where
  Chinese puts the action), add-α smoothing;
- hybrid: the rules' kind, unless the model gives another kind at least the probability shown
  and the rules' kind under 5 %.

It prints kind precision (the share of found tasks whose kind is the labelled one) for the rules,
the model and each hybrid, pooled over all sets and over the later heldout sets. Plain Python (no
dependency); about 20 s on this machine.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from duban.tasks.extract.document import extract
from duban.tasks.extract.reading import reading_copy
from tests.extraction.scoring import HERE, documents, found_task, real_parts

THRESHOLDS = (0.8, 0.9, 0.95, 0.99)
Row = tuple[str, str, str, str]  # set, clause, labelled kind, the rules' kind


def collect(skip: set[str]) -> list[Row]:
    rows = []
    for part in real_parts():
        if part in skip:
            continue
        for _, source, labels_path in documents(HERE / "real" / part):
            labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
            tasks = [t for item in extract(source.read_bytes())["items"] for t in item["tasks"]]
            for label in labels["tasks"] or []:
                hit = found_task(label, tasks)
                if hit is not None:
                    rows.append((part, reading_copy(hit["text"])[0], label["kind"], hit["kind"]))
    return rows


def grams(clause: str) -> list[str]:
    text = re.sub(r"\s+", "", clause)
    found = [text[i : i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1)]
    tail = text[-6:]
    return found + ["$" + tail[i : i + 2] for i in range(len(tail) - 1)]


def train(rows: list[Row], alpha: float = 0.3) -> Callable[[str], dict[str, float]]:
    """Naive Bayes: the probability of each kind for a clause."""
    kinds = sorted({row[2] for row in rows})
    prior: Counter[str] = Counter(row[2] for row in rows)
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in kinds}
    for _, clause, kind, _ in rows:
        counts[kind].update(grams(clause))
    size = len(set().union(*counts.values()))
    totals = {kind: sum(counts[kind].values()) for kind in kinds}

    def probabilities(clause: str) -> dict[str, float]:
        features = grams(clause)
        logs = {
            kind: math.log((prior[kind] + 1) / (len(rows) + len(kinds)))
            + sum(
                math.log((counts[kind][f] + alpha) / (totals[kind] + alpha * size))
                for f in features
            )
            for kind in kinds
        }
        top = max(logs.values())
        scale = sum(math.exp(v - top) for v in logs.values())
        return {kind: math.exp(v - top) / scale for kind, v in logs.items()}

    return probabilities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip", default="", help="sets left out entirely (comma-separated)")
    args = parser.parse_args()
    rows = collect(set(filter(None, args.skip.split(","))))
    right: dict[str, Counter[str]] = defaultdict(Counter)
    seen: Counter[str] = Counter()
    for part in sorted({row[0] for row in rows}):
        probabilities = train([row for row in rows if row[0] != part])
        for _, clause, gold, rules in (row for row in rows if row[0] == part):
            p = probabilities(clause)
            model = max(p, key=p.__getitem__)
            seen[part] += 1
            right["rules"][part] += rules == gold
            right["model"][part] += model == gold
            for threshold in THRESHOLDS:
                hybrid = model if p[model] >= threshold and p.get(rules, 0) < 0.05 else rules
                right[f"hybrid {threshold}"][part] += hybrid == gold
    later = [p for p in seen if p.startswith("heldout") and int(p[7:]) >= 41]
    print(f"{'kind precision, left out':<30}" + "".join(f"{name:>13}" for name in right))
    for name, parts in (("every set", list(seen)), ("heldout41 onwards", later)):
        total = sum(seen[p] for p in parts)
        figures = "".join(f"{sum(r[p] for p in parts) / total:>13.3f}" for r in right.values())
        print(f"{f'{name} ({total} tasks)':<30}{figures}")


if __name__ == "__main__":
    main()
