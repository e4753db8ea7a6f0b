"""The extracted structure as a draft plan file for `duban plan import`.

Everything the document does not say is left out on purpose, so that `duban plan check`
on the draft lists exactly what the coordinator still has to fill in: the coordinators'
unit, each task's owner where no 责任单位 was named, and each schedule where no deadline
could be fixed. Targets become indicators, each under a comment quoting the clause its figure
was read from (原文), so that a statistic read as a target is struck at a glance; tasks keep their
clause as the title, and a deadline the page gives without a year stays as a comment above its
task (时限原文：6月上旬) for the coordinator to date.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from duban.tasks.extract.deadlines import is_date
from duban.tasks.extract.numbers import chinese_to_int

HEADER = """\
# 草稿：由 duban plan extract 从《{title}》生成。
# 运行 duban plan check 本文件，列出的每一项（单位、负责人、时间安排）都需要补充后才能导入。
"""


# a relative target's value is the size of the change ("近视率下降0.5个百分点": at least 0.5 of
# fall), so its indicator says so, not that the rate itself is compared with 0.5
CHANGE = {"increase": "（提高幅度）", "decrease": "（下降幅度）"}


def draft_plan(doc: dict[str, Any]) -> str:
    year = doc.get("year")
    units: dict[str, str] = {}

    def unit_code(name: str) -> str:
        if name not in units:
            units[name] = f"u{len(units) + 1}"
        return units[name]

    items, indicators, tasks = [], [], []
    notes: dict[str, str] = {}  # an entry's id → the comment above it
    for item in doc["items"]:
        path = item["path"]
        if path:
            items.append({"path": path, "title": item["title"] or "(无标题)"})
        label = ".".join(_digits(p) for p in path) or "0"
        for n, target in enumerate(item["targets"], start=1):
            indicator: dict[str, Any] = {
                "id": f"I{label}-{n}",
                "name": target["indicator"]
                + CHANGE.get(target.get("relative", {}).get("direction"), ""),
                "target": {
                    "comparator": target["comparator"],
                    "value": target["value"],
                    "unit": target["unit"],
                },
            }
            if path:
                indicator["item"] = path
            indicators.append(indicator)
            if target.get("text"):
                notes[indicator["id"]] = f"原文：{' '.join(target['text'].split())}"
        for n, action in enumerate(item["tasks"], start=1):
            task: dict[str, Any] = {
                "id": f"T{label}-{n}",
                "title": action["text"],
                "kind": action["kind"],
            }
            if path:
                task["item"] = path
            names = action.get("units") or []
            if names:
                task["owner"] = unit_code(names[0])
                if names[1:]:
                    task["cooperating"] = [unit_code(n) for n in names[1:]]
            deadline = action.get("deadline")
            if is_date(deadline):
                task["schedule"] = {"due": deadline}
            elif deadline:  # words without a year ("6月上旬"): the coordinator dates them
                notes[task["id"]] = f"时限原文：{deadline}（未写年份，请补全日期）"
            tasks.append(task)
    plan: dict[str, Any] = {
        "plan": {
            "id": f"draft-{year or 'plan'}",
            "title": doc["title"] or "工作计划",
            "year": year or 0,
        },
        "units": [{"code": code, "name": name} for name, code in units.items()],
        "items": items,
        "indicators": indicators,
        "tasks": tasks,
    }
    body = yaml.dump(plan, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return HEADER.format(title=doc["title"]) + _with_notes(body, notes)


def _with_notes(body: str, notes: dict[str, str]) -> str:
    """Each entry with a note preceded by it as a comment: an indicator's "# 原文：<its clause>",
    a task's deadline in the words of the page where they fix no date."""
    lines = []
    for line in body.split("\n"):
        entry = re.fullmatch(r"- id: ([IT]\S+)", line)
        if entry and entry.group(1) in notes:
            lines.append(f"# {notes[entry.group(1)]}")
        lines.append(line)
    return "\n".join(lines)


def _digits(label: str) -> str:
    """一 → 1, (三) → 3, 2 → 2: ids stay ASCII."""
    bare = label.strip("()")
    number = chinese_to_int(bare)
    return str(number) if number is not None else bare


class _Dumper(yaml.SafeDumper):
    """No anchors, and short lists (paths, unit codes) on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str | int | float) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
