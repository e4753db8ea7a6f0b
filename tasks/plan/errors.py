"""Pydantic's validation errors in the plan checker's words: which line, what, and the fix."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from duban.tasks.plan.messages import EXPECTED, localize
from duban.tasks.plan.schema import CODE_PATTERN, QUIET_HOURS

PATTERN_HINTS = {
    CODE_PATTERN: (
        "编号只能含字母、数字和 - _ .，且以字母或数字开头。",
        "ids use letters, digits and - _ . only.",
    ),
    QUIET_HOURS: ("写成 HH:MM-HH:MM，例如 18:00-08:30。", "write HH:MM-HH:MM, e.g. 18:00-08:30."),
}
TYPE_ERRORS = {
    "int_parsing": "int",
    "int_type": "int",
    "int_from_float": "int",
    "float_parsing": "number",
    "float_type": "number",
    "string_type": "text",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "bool_parsing": "bool",
    "bool_type": "bool",
}


def translate(
    model: type[BaseModel], error: Any, loc: tuple[Any, ...], *, year: Any, lang: str
) -> tuple[tuple[Any, ...], str, dict[str, Any]]:
    """(where in the file, message code, its parameters) for one pydantic error."""
    inner = tuple(p for p in error["loc"] if isinstance(p, int) or "[" not in str(p))
    full = loc + inner
    name = ".".join(str(p) for p in inner) or str(loc[0])
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        field = inner[-1] if inner else name
        return full[:-1], "missing", {"field": field, "where": _where(loc + inner[:-1])}
    if kind == "extra_forbidden":
        return (
            full,
            "extra",
            {"field": inner[-1], "allowed": ", ".join(_fields_at(model, inner[:-1]))},
        )
    if kind == "literal_error":
        return full, "choice", {"field": name, "value": value, "allowed": ctx.get("expected", "")}
    if kind == "bad-date":
        return full, "bad-date", {"value": ctx["value"], "example": f"{year}-06-30"}
    if kind in ("bad-time", "bad-timezone", "bad-rrule", "schedule-one-of"):
        return full, kind, dict(ctx)
    if kind in TYPE_ERRORS:
        expected = localize(EXPECTED[TYPE_ERRORS[kind]], lang)
        return full, "type", {"field": name, "value": _short(value), "expected": expected}
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(ctx.get("pattern", ""), PATTERN_HINTS[CODE_PATTERN])
        return (
            full,
            "bad-value",
            {"field": name, "detail": f"“{value}”", "fix": localize(hint, lang)},
        )
    fix = localize(("按说明改正该值。", "correct the value."), lang)
    return full, "bad-value", {"field": name, "detail": error["msg"], "fix": fix}


def _where(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "plan"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part) if _is_model(current) else None
        if field_info is None:
            return []
        current = _model_in(field_info.annotation)
    return list(current.model_fields) if _is_model(current) else []


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _model_in(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
