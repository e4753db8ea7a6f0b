"""分办: which units a task is given to, from what the plan file says.

A task's `units:` is a unit code, a group name (`groups: {districts: [hs, jb, yz]}`), a list
of either, or `{under: jjc}` — every unit whose parent is jjc. Without it the task is its
owner's alone. Pure: the plan checker reports the problems with their lines, the import stores
the units it resolves to (in the order written, each once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Trouble:
    where: tuple[Any, ...]  # below the task's `units`
    code: str  # a message code (tasks.plan.messages)
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Resolved:
    units: list[str]
    troubles: list[Trouble]


def resolve(
    value: Any,
    *,
    owner: str,
    groups: Mapping[str, Sequence[Any]],
    parents: Mapping[str, Any],
) -> Resolved:
    """The units `value` names. `parents`: every unit's parent, by code (roles aside: a group
    or a parent's units are taken as written)."""
    if value is None:
        return Resolved([owner], [])
    found = Resolved([], [])
    if isinstance(value, Mapping):
        under = value.get("under")
        children = [
            code
            for code, parent in parents.items()
            if parent is not None and str(parent) == str(under)
        ]
        if str(under) not in parents:
            found.troubles.append(
                Trouble(("under",), "unknown-unit", {"code": under, "field": "units.under"})
            )
        elif not children:
            found.troubles.append(Trouble(("under",), "nobody-under", {"code": under}))
        _add(found, children, (), f"{under} 的下级")
        return found
    for index, entry in enumerate(value if isinstance(value, list) else [value]):
        where = (index,) if isinstance(value, list) else ()
        name = str(entry)
        if name in groups:
            members = [str(m) for m in groups[name]]
            _add(found, members, where, f"组 {name}")
        elif name in parents:
            _add(found, [name], where, "直接列出")
        else:
            known = "、".join(list(groups)[:8]) or "（未定义任何组）"
            found.troubles.append(Trouble(where, "unknown-group", {"name": name, "known": known}))
    return found


def _add(found: Resolved, codes: Sequence[str], where: tuple[Any, ...], via: str) -> None:
    for code in codes:
        if code in found.units:
            found.troubles.append(Trouble(where, "unit-twice", {"code": code, "via": via}))
        else:
            found.units.append(code)
