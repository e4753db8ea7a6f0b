"""Does a small classifier tell targets from statistics better than the rules in `tense`?

`python bench/target_vs_statistic.py` — every number that has a unit of measure becomes a
candidate; a candidate is a target when it matches a labelled target (value and unit).
A naive Bayes model over the characters and character pairs around the number is trained
on the self-written documents, the seed and the real dev part, and tested on the real
validation part against the rules, and against both combined (the model only where no
word in the sentence decides).
"""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from duban.tasks.extract import targets as targets_module
from duban.tasks.extract import tense
from duban.tasks.extract.document import extract
from tests.extraction.scoring import HERE, documents

Candidate = tuple[list[str], bool, bool, bool]  # features, rule says statistic, cue found, gold


def candidates(docs: list[tuple[str, Path, Path]]) -> list[Candidate]:
    found: list[Candidate] = []
    for _, source, labels_path in docs:
        seen: list[tuple[str, int, int, bool, bool, bool]] = []

        def record(
            text: str,
            start: int,
            end: int,
            *,
            report: bool,
            year: int | None = None,
            seen: list[tuple[str, int, int, bool, bool, bool]] = seen,
        ) -> bool:
            sentence_start = max(text.rfind(ch, 0, start) for ch in tense.SENTENCE_END) + 1
            before = text[sentence_start:end]
            cue = (
                tense._last(tense.STATISTIC, before, start - sentence_start) is not None
                or tense._last(tense.TARGET, before, start - sentence_start) is not None
            )
            rule = tense.is_statistic(text, start, end, report=report, year=year)
            seen.append((text, start, end, report, rule, cue))
            return False

        with mock.patch.object(targets_module, "is_statistic", record):
            doc = extract(source.read_bytes())
        extracted = [  # 翻一番 is found without a unit, so without a candidate
            t
            for item in doc["items"]
            for t in item["targets"]
            if t.get("relative", {}).get("direction") != "multiply"
        ]
        labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))["targets"] or []
        gold = Counter((float(t["value"]), t["unit"]) for t in labels)
        for (text, start, end, report, rule, cue), target in zip(seen, extracted, strict=False):
            key = (
                float(target["value"]),
                "百分点" if target["unit"] == "个百分点" else target["unit"],
            )
            is_target = gold[key] > 0
            gold[key] -= is_target
            found.append((features(text, start, end, report), rule, cue, is_target))
    return found


def features(text: str, start: int, end: int, report: bool) -> list[str]:
    window = text[max(0, start - 30) : start] + "#" + text[end : end + 12]
    chars = [c for c in window if not c.isdigit()]
    return [*chars, *("".join(p) for p in itertools.pairwise(chars)), f"report={report}"]


class NaiveBayes:
    def __init__(self, rows: list[Candidate]) -> None:
        self.counts = {True: Counter(), False: Counter()}
        self.docs = Counter(row[3] for row in rows)
        for feats, _, _, gold in rows:
            self.counts[gold].update(feats)
        self.vocabulary = len(set(self.counts[True]) | set(self.counts[False]))

    def is_target(self, feats: list[str]) -> bool:
        scores = {}
        for label in (True, False):
            total = sum(self.counts[label].values()) + self.vocabulary
            prior = math.log((self.docs[label] + 1) / (sum(self.docs.values()) + 2))
            scores[label] = prior + sum(
                math.log((self.counts[label][f] + 1) / total) for f in feats
            )
        return scores[True] > scores[False]


def report(name: str, rows: list[Candidate], says_target: list[bool]) -> None:
    tp = sum(1 for r, s in zip(rows, says_target, strict=True) if s and r[3])
    fp = sum(1 for r, s in zip(rows, says_target, strict=True) if s and not r[3])
    fn = sum(1 for r, s in zip(rows, says_target, strict=True) if not s and r[3])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    right = sum(1 for r, s in zip(rows, says_target, strict=True) if s == r[3])
    print(
        f"{name:<28} accuracy {right / len(rows):.2f}  target precision {precision:.2f}  "
        f"recall {recall:.2f}  F1 {f1:.2f}"
    )


def main() -> None:
    train = candidates(documents(HERE) + documents(HERE / "real" / "dev"))
    test = candidates(documents(HERE / "real" / "validation"))
    model = NaiveBayes(train)
    print(
        f"candidates: {len(train)} to train ({sum(r[3] for r in train)} targets), "
        f"{len(test)} to test ({sum(r[3] for r in test)} targets)"
    )
    report("rules (tense)", test, [not r[1] for r in test])
    report("naive Bayes", test, [model.is_target(r[0]) for r in test])
    hybrid = [not r[1] if r[2] else model.is_target(r[0]) for r in test]
    report("rules, NB where no cue", test, hybrid)
    report("rules (on training docs)", train, [not r[1] for r in train])


if __name__ == "__main__":
    main()
