"""Two learned steps for "target or statistic", measured against the rules on sets they never saw.

`python bench/learned_targets.py` reads every labelled real passage (dev, validation, every
heldoutN), takes every figure the extractor weighs (each number with a unit, with the rules'
verdict) and marks it by the labels (a label with its value and unit, each used once). Then,
leaving one block of sets out at a time (heldout1–20, 21–40, 41–64, 65 on) and training on all
the others:

- candidate: a logistic regression over the rules' verdict, the characters around the figure,
  cue words in its sentence, paragraph and title, and the year it names against the document's;
- document: a logistic regression over a passage's characters that says "this passage reports
  only" (sure at 0.98) and then drops every target the rules found in it.

It prints targets precision / recall / F1 for the rules and for each step, per left-out block,
for all its passages and for its plans and its other genres apart (`scoring.genre`), and pooled.
The rules were tuned on every block, so the comparison favours them. Training is plain
stochastic gradient descent (no dependency); about a minute.
"""

from __future__ import annotations

import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duban.tasks.extract.document as document  # noqa: E402
from duban.tasks.extract import targets as target_rules  # noqa: E402
from duban.tasks.extract.quantity import QUANTITY  # noqa: E402
from duban.tasks.extract.reading import TABLE  # noqa: E402
from tests.extraction.scoring import HERE, documents, genre, real_parts  # noqa: E402

CUES = (
    "已 了 共 累计 同比 比上年 去年 截至 目前 现有 完成 达到 实现 建成 新建 将 要 力争 确保 计划 "
    "目标 预计 到20 年底前 年内 提高到 提升到 控制在 不低于 不少于 以上 以内 其中 全部 均 投入 新增 "
    "改扩建 通过 获得 位居 荣获 被评为 由 从"
).split()
TITLE_CUES = (
    "总结 计划 要点 报告 通报 方案 规划 实事 情况 意见 安排 成效 回顾 新闻 通知 纲要".split()
)


@dataclass
class Candidate:
    text: str
    start: int
    end: int
    report: bool
    kept: bool  # the rules' verdict
    key: tuple[float, str, str]
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
        kept = weigh(text, **kwargs)
        for match in QUANTITY.finditer(text):
            made = target_rules._target(text, match, [])
            if made is None:
                continue
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


def candidate_features(passage: Passage, c: Candidate) -> list[str]:
    text = c.text
    sentence_start = max(text.rfind(ch, 0, c.start) for ch in "。!?\n") + 1
    ends = [i for i in (text.find(ch, c.end) for ch in "。!?\n") if i >= 0]
    sentence_end = min(ends) if ends else len(text)
    before = text[max(sentence_start, c.start - 10) : c.start]
    after = text[c.end : min(sentence_end, c.end + 8)]
    found = [f"rule={c.kept}", f"report={c.report}", f"unit:{c.key[1]}", f"cmp:{c.key[2]}"]
    for n in (1, 2, 3):
        found += [f"b{n}:{before[i : i + n]}" for i in range(len(before) - n + 1)]
        found += [f"a{n}:{after[i : i + n]}" for i in range(len(after) - n + 1)]
    found += [f"n1:{before[-1:]}", f"n2:{before[-2:]}", f"x1:{after[:1]}", f"x2:{after[:2]}"]
    paragraph = text[max(text.rfind("\n", 0, sentence_start), 0) : sentence_start]
    for cue in CUES:
        found += [f"{where}:{cue}" for where, part in (("sb", text[sentence_start : c.start]),
                  ("sa", text[c.end : sentence_end]), ("pa", paragraph)) if cue in part]  # fmt: skip
    found += [f"ti:{cue}" for cue in TITLE_CUES if cue in passage.title]
    years = [int(y) for y in re.findall(r"(20\d\d)年", text[sentence_start:sentence_end])]
    if passage.year and years:
        latest = max(years)
        found.append(
            "y:past" if latest < passage.year else "y:ahead" if latest > passage.year else "y:same"
        )
    return ["bias", *found]


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
            error = _probability(weights, features) - label
            for name in features:
                weights[name] -= rate * (error + l2 * weights[name])
    return weights


def _probability(weights: dict[str, float], features: list[str]) -> float:
    z = sum(weights.get(name, 0.0) for name in features)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


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


def main() -> None:
    passages = collect()
    for passage in passages:
        passage.features = passage_features(passage)
        for candidate in passage.candidates:
            candidate.features = candidate_features(passage, candidate)
    learned: dict[int, bool] = {}  # id(candidate) → the candidate step's verdict, left out
    reports_only: dict[int, bool] = {}  # id(passage) → the document step's verdict, left out
    groups = blocks([p.part for p in passages])
    for _, parts in groups:
        training = [p for p in passages if p.part not in parts]
        rows = [(c.features, c.gold) for p in training for c in p.candidates]
        weights = train(rows, epochs=15, l2=1e-4, rate=0.1)
        only = [
            (p.features, not any(c.gold for c in p.candidates)) for p in training if p.candidates
        ]
        genre_weights = train(only, epochs=30, l2=1e-3, rate=0.05)
        for passage in (p for p in passages if p.part in parts):
            reports_only[id(passage)] = _probability(genre_weights, passage.features) > 0.98
            for candidate in passage.candidates:
                learned[id(candidate)] = _probability(weights, candidate.features) > 0.5
    steps = {
        "rules": lambda p, c: c.kept,
        "candidate": lambda p, c: learned[id(c)],
        "document": lambda p, c: c.kept and not reports_only[id(p)],
    }
    print(f"{'left out':<26}" + "".join(f"{name:>22}" for name in steps))
    held = [part for _, parts in groups for part in parts]
    for name, parts in [*groups, ("all heldout sets", held)]:
        for kind in ("all", "plan", "other"):
            chosen = [p for p in passages if p.part in parts and kind in ("all", p.genre)]
            cells = [score(chosen, keep) for keep in steps.values()]
            label = f"{name}, {kind}"
            print(f"{label:<26}" + "".join(f"  P{p:.2f} R{r:.2f} F1 {f:.3f}" for p, r, f in cells))


if __name__ == "__main__":
    main()
