"""The portal's report form for a kind of task, read off the same typed forms the Prefect UI
shows (`tasks.work.forms`), so the two can never ask different questions.

Pure: field specs for the template, and the posted strings turned into the form's values
(lists one per line, scores `名称 分数` per line) with a Chinese sentence for each mistake.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from duban.tasks.work.forms import report_form

ERRORS = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "greater_than_equal": "不能为负数",
    "too_long": "太长",
    "string_too_long": "太长",
    "missing": "必填",
}


class FormRefused(ValueError):
    """The posted form does not fit, with the sentence to show."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    title: str
    widget: str  # text | lines | scores | integer | number
    hint: str = ""


def form_class(kind: str) -> type[BaseModel]:
    return report_form(kind)


def _widget(annotation: Any) -> str:
    if annotation is int:
        return "integer"
    if annotation is float or (
        isinstance(annotation, types.UnionType) and float in typing.get_args(annotation)
    ):
        return "number"
    origin = typing.get_origin(annotation)
    if origin is list:
        return "lines"
    if origin is dict:
        return "scores"
    return "text"


HINTS = {"lines": "每行一项", "scores": "每行一项：名称 分数", "number": "", "integer": ""}


def fields(kind: str) -> list[FieldSpec]:
    """The fields to show, in the form's order; evidence is asked separately (links, files)."""
    specs = []
    for name, info in form_class(kind).model_fields.items():
        if name == "evidence":
            continue
        widget = _widget(info.annotation)
        specs.append(FieldSpec(name, info.title or name, widget, HINTS.get(widget, "")))
    return specs


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _scores(title: str, text: str) -> dict[str, float]:
    scores = {}
    for number, line in enumerate(_lines(text), start=1):
        match = re.fullmatch(r"(.+?)[\s:：,，]+(-?\d+(?:\.\d+)?)", line)
        if match is None:
            raise FormRefused(
                f"“{title}”第 {number} 行“{line}”应写成“名称 分数”，例如：市一中 92.5"
            )
        scores[match.group(1).strip()] = float(match.group(2))
    return scores


def parse(kind: str, posted: dict[str, str]) -> dict[str, Any]:
    """The form's values from the posted strings (evidence links included), or FormRefused."""
    cls = form_class(kind)
    raw: dict[str, Any] = {}
    for spec in fields(kind):
        text = (posted.get(spec.name) or "").strip()
        if spec.widget == "lines":
            raw[spec.name] = _lines(text)
        elif spec.widget == "scores":
            raw[spec.name] = _scores(spec.title, text)
        elif text:
            raw[spec.name] = text
    links = _lines(posted.get("evidence") or "")
    for link in links:
        if not re.match(r"https?://", link):
            raise FormRefused(f"佐证材料链接“{link}”应以 http:// 或 https:// 开头")
    if "evidence" in cls.model_fields:
        raw["evidence"] = links
    try:
        values = cls.model_validate(raw).model_dump()
    except ValidationError as exc:
        titles = {name: info.title or name for name, info in cls.model_fields.items()}
        problems = [
            f"“{titles.get(str(e['loc'][0]), e['loc'][0])}”{ERRORS.get(e['type'], e['msg'])}"
            for e in exc.errors()
        ]
        raise FormRefused("；".join(problems)) from None
    values.setdefault("evidence", links)
    return values
