"""Score `duban plan extract` against hand-labelled documents (`NAME.txt` + `NAME.labels.yaml`).

Targets match on (value, unit, comparator), each label at most once. A matched target's
name is good when it contains the label's key phrase. A labelled task is found when an
extracted task's text contains it (or the reverse); kind precision is over found tasks; task
precision is the share of extracted tasks that hold a labelled task or are held by one.
A group's pooled score adds up its documents' counts (micro-averaged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from duban.tasks.extract.deadlines import is_date
from duban.tasks.extract.document import extract
from duban.tasks.extract.reading import reading_copy

HERE = Path(__file__).parent


@dataclass
class Score:
    name: str
    targets_labelled: int
    targets_extracted: int
    targets_matched: int
    names_good: int
    tasks_labelled: int
    tasks_found: int
    kinds_right: int
    units_labelled: int
    units_right: int
    tasks_extracted: int
    tasks_matching: int

    @property
    def precision(self) -> float:
        return self.targets_matched / self.targets_extracted if self.targets_extracted else 1.0

    @property
    def recall(self) -> float:
        return self.targets_matched / self.targets_labelled if self.targets_labelled else 1.0

    @property
    def name_quality(self) -> float:
        return self.names_good / self.targets_matched if self.targets_matched else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kinds_right / self.tasks_found if self.tasks_found else 1.0

    @property
    def task_precision(self) -> float:
        return self.tasks_matching / self.tasks_extracted if self.tasks_extracted else 1.0

    @property
    def tasks_found_share(self) -> float:
        return self.tasks_found / self.tasks_labelled if self.tasks_labelled else 1.0


def pooled(name: str, scores: list[Score]) -> Score:
    """One score for a group: its documents' counts added up (micro-averaged)."""
    counts = [sum(getattr(s, f.name) for s in scores) for f in fields(Score)[1:]]
    return Score(name, *counts)


def documents(folder: Path = HERE) -> list[tuple[str, Path, Path]]:
    """(name, text, labels) for every `*.labels.yaml` directly in `folder`."""
    found = []
    for labels in sorted(folder.glob("*.labels.yaml")):
        name = labels.name.removesuffix(".labels.yaml")
        data = yaml.safe_load(labels.read_text(encoding="utf-8"))
        source = (
            (folder / data["source"]).resolve()
            if data.get("source")
            else labels.with_name(f"{name}.txt")
        )
        found.append((name, source, labels))
    return found


def real_parts() -> list[str]:
    """The real corpus's parts in order: dev, validation, heldout1, heldout2, … (every
    heldoutN folder there is)."""
    held = [p.name for p in (HERE / "real").glob("heldout*") if p.name[7:].isdigit()]
    return ["dev", "validation", *sorted(held, key=lambda name: int(name[7:]))]


# a labeller's genre note (the first line of a labels file: "# Source: … Genre: …") names a plan
# when it names a planning document and nothing that reports: a 工作要点, 计划, 方案, 规划,
# 任务分解表, a 民生实事 list, a 政府工作报告's plans, an instruction; a review, progress notice,
# news, 通报, speech or a plan's review section is another genre
PLANNING = re.compile(
    r"要点|计划|方案|规划|規劃|分解表|工作安排|\blist\b|\bplans?\b|instruction|意见", re.IGNORECASE
)
REPORTING = re.compile(
    r"review|progress|进展|推进情况|完成|总结|statistic|news|新闻|通报|讲话|发布会|公示|report of"
    r"|self-check|feedback|汇报|回顾",
    re.IGNORECASE,
)


def genre(labels_path: Path) -> str:
    """ "plan" or "other", from the labeller's genre note: their own "(plan)" or "(other)" at its
    end when they wrote one (asked for from heldout31 on), else the note's words (see PLANNING)."""
    first = labels_path.read_text(encoding="utf-8").split("\n", 1)[0]
    note = re.split(r"[Gg]enre:?", first, maxsplit=1)[-1]
    tagged = re.findall(r"\((plan|other)\)", note)
    if tagged:
        return tagged[-1]  # the note ends with it: "(other)" earlier may be a kind
    return "plan" if PLANNING.search(note) and not REPORTING.search(note) else "other"


def matched_targets(
    labels: list[dict[str, Any]], found: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(label, target) for each label a found target matches on (value, unit, comparator);
    each found target matches one label at most."""
    unmatched = list(found)
    pairs = []
    for label in labels:
        key = (float(label["value"]), label["unit"], label["comparator"])
        hit = next(
            (t for t in unmatched if (float(t["value"]), t["unit"], t["comparator"]) == key), None
        )
        if hit is not None:
            unmatched.remove(hit)
            pairs.append((label, hit))
    return pairs


def same_name(labelled: str, indicator: str) -> bool:
    """Whether the indicator holds the labelled name, both read without the page's reading aids
    (学(xué)位): a labeller copies them with the name; a name the rules join round a figure
    (新建和改扩建…学校) is given without them."""
    return reading_copy(labelled)[0] in reading_copy(indicator)[0]


def same_task(label: dict[str, Any], task: dict[str, Any]) -> bool:
    """Whether an extracted task's text holds the label's, or the label's holds it. A line
    break inside a labelled clause is the page's hard wrap ("加\n快建设…"), which the
    extractor joins: it counts for nothing."""
    labelled, found = label["text"].replace("\n", ""), task["text"]
    return labelled in found or found in labelled


def found_task(label: dict[str, Any], tasks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first task that is the labelled one (`same_task`)."""
    return next((t for t in tasks if same_task(label, t)), None)


def _same_deadline(found: str | None, labelled: str | None) -> bool:
    """Where a label gives no deadline, the words a page gives without a year ("6月上旬") match:
    the user sees them, but they make no date in the draft plan."""
    if labelled is None:
        return not is_date(found)
    return found == labelled


def score(name: str, source: Path, labels_path: Path) -> Score:
    labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    document = extract(source.read_bytes())
    targets = [t for item in document["items"] for t in item["targets"]]
    tasks = [t for item in document["items"] for t in item["tasks"]]
    pairs = matched_targets(labels["targets"] or [], targets)
    matched = len(pairs)
    names_good = sum(same_name(label["name"], hit["indicator"]) for label, hit in pairs)
    found = right = 0
    for label in labels["tasks"] or []:
        hit = found_task(label, tasks)
        if hit is not None:
            found += 1
            right += hit["kind"] == label["kind"]
    matching = sum(any(same_task(label, t) for label in labels["tasks"] or []) for t in tasks)
    units_right = 0
    for label in labels.get("units") or []:
        hit = found_task(label, tasks)
        if (
            hit
            and hit.get("units") == label["units"]
            and _same_deadline(hit.get("deadline"), label.get("deadline"))
        ):
            units_right += 1
    return Score(
        name,
        len(labels["targets"] or []),
        len(targets),
        matched,
        names_good,
        len(labels["tasks"] or []),
        found,
        right,
        len(labels.get("units") or []),
        units_right,
        len(tasks),
        matching,
    )
