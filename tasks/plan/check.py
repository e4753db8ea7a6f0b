"""`duban plan check`: every problem of a plan file at once, each with its line and a fix.

Pure: text in, a checked `PlanSpec` or a list of `Problem`s out. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from duban.tasks.plan import yamllines
from duban.tasks.plan.assign import resolve
from duban.tasks.plan.errors import translate
from duban.tasks.plan.messages import ENTITY, EXPECTED, localize, render
from duban.tasks.plan.schema import (
    REQUIRED_TOP_LEVEL,
    SECTIONS,
    TOP_LEVEL,
    BulletinSpec,
    CalendarSpec,
    Defaults,
    PlanHeader,
    PlanSpec,
    ScoringSpec,
    item_code,
)
from duban.tasks.plan.yamllines import LineDict, line_of
from duban.tasks.timeline.calendar import WorkCalendar

HEADER_MODELS: dict[str, type[BaseModel]] = {
    "plan": PlanHeader,
    "defaults": Defaults,
    "calendar": CalendarSpec,
    "scoring": ScoringSpec,
    "bulletin": BulletinSpec,
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def render(self, lang: str = "zh-CN") -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {render(self.code, self.params, lang)}"


@dataclass
class CheckResult:
    spec: PlanSpec | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path, lang: str = "zh-CN", tags: set[str] | None = None) -> CheckResult:
    try:
        raw = path.read_bytes()
    except OSError:
        return CheckResult(None, [Problem(str(path), None, "file-missing")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CheckResult(None, [Problem(str(path), None, "file-encoding")])
    return check_text(text, str(path), lang, tags)


def check_text(
    text: str, filename: str, lang: str = "zh-CN", tags: set[str] | None = None
) -> CheckResult:
    """`tags`: the channel tags an apprise config defines; when given, unreachable units count."""
    data, troubles = yamllines.load(text)
    problems = [
        Problem(filename, t.line, "yaml-syntax", {"detail": t.detail})
        if t.kind == "syntax"
        else Problem(filename, t.line, "duplicate-key", {"key": t.detail, **t.extra})
        for t in troubles
    ]
    if data is None and problems:
        return CheckResult(None, problems)
    if not isinstance(data, LineDict):
        return CheckResult(None, [*problems, Problem(filename, 1, "not-a-mapping")])

    checker = _Checker(filename, data, lang, tags)
    checker.run()
    problems += checker.problems
    problems.sort(key=lambda p: p.line or 0)
    if problems:
        return CheckResult(None, problems)
    return CheckResult(PlanSpec.model_validate(dict(data)), [])


class _Checker:
    def __init__(self, filename: str, data: LineDict, lang: str, tags: set[str] | None) -> None:
        self.filename, self.data, self.lang, self.tags = filename, data, lang, tags
        self.problems: list[Problem] = []

    def add(self, loc: tuple[Any, ...], message: str, **params: Any) -> None:
        self.problems.append(Problem(self.filename, line_of(self.data, loc), message, params))

    def _expected(self, kind: str) -> str:
        return localize(EXPECTED[kind], self.lang)

    def run(self) -> None:
        for key in self.data:
            if key not in TOP_LEVEL:
                self.add((key,), "extra", field=key, allowed=", ".join(TOP_LEVEL))
        for key in REQUIRED_TOP_LEVEL:
            if key not in self.data:
                self.problems.append(
                    Problem(self.filename, 1, "missing", {"field": key, "where": "文件顶层"})
                )
        for key, model in HEADER_MODELS.items():
            if key in self.data:
                self.validate(model, self.data[key], (key,))
        for key, model in SECTIONS.items():
            entries = self.data.get(key)
            if entries is None:
                continue
            if not isinstance(entries, list):
                self.add((key,), "type", field=key, value="…", expected=self._expected("list"))
                continue
            for index, entry in enumerate(entries):
                self.validate(model, entry, (key, index))
        self.cross_references()

    # -- one entry against its model ------------------------------------------------

    def validate(self, model: type[BaseModel], value: Any, loc: tuple[Any, ...]) -> None:
        try:
            model.model_validate(value)
        except ValidationError as exc:
            plan = self.data.get("plan")
            year = plan.get("year", 2022) if isinstance(plan, dict) else 2022
            for error in exc.errors():
                target, code, params = translate(model, error, loc, year=year, lang=self.lang)
                self.add(target, code, **params)

    # -- references between entries -------------------------------------------------

    def entries(self, section: str) -> Iterable[tuple[int, dict[str, Any]]]:
        value = self.data.get(section)
        if isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    yield index, entry

    def unique(self, section: str, key: str, entity: str) -> dict[str, int]:
        seen: dict[str, int] = {}
        for index, entry in self.entries(section):
            code = entry.get(key)
            if isinstance(code, list):
                code = item_code([str(p) for p in code])
            if code is None:
                continue
            code = str(code)
            line = line_of(self.data, (section, index, key))
            if code in seen:
                self.add(
                    (section, index, key),
                    "duplicate-id",
                    code=code,
                    first=seen[code],
                    entity=localize(ENTITY[entity], self.lang),
                )
            else:
                seen[code] = line
        return seen

    def calendar_coverage(self) -> None:
        plan, calendar = self.data.get("plan"), self.data.get("calendar")
        year = plan.get("year") if isinstance(plan, dict) else None
        covers = calendar.get("covers") if isinstance(calendar, dict) else None
        if isinstance(year, int) and not WorkCalendar(covers=covers or []).covers(year):
            self.add(("plan", "year"), "calendar-missing", year=year)

    def cross_references(self) -> None:
        self.calendar_coverage()
        units = self.unique("units", "code", "unit")
        items = self.unique("items", "path", "item")
        indicators = self.unique("indicators", "id", "indicator")
        self.unique("tasks", "id", "task")
        known_units = ", ".join(list(units)[:8]) + (" …" if len(units) > 8 else "")

        def unit_ref(loc: tuple[Any, ...], code: Any, field: str) -> None:
            if code is not None and str(code) not in units:
                self.add(loc, "unknown-unit", code=code, field=field, known=known_units)

        def item_ref(loc: tuple[Any, ...], path: Any) -> None:
            if isinstance(path, list) and path and item_code([str(p) for p in path]) not in items:
                self.add(loc, "unknown-item", path="/".join(map(str, path)), field="item")

        for index, unit in self.entries("units"):
            unit_ref(("units", index, "parent"), unit.get("parent"), "parent")
            notify = unit.get("notify") or [unit.get("code")]
            if self.tags is not None and isinstance(notify, list):
                if not any(str(tag) in self.tags for tag in notify):
                    where = ("units", index, "notify") if "notify" in unit else ("units", index)
                    self.add(
                        where,
                        "unreachable",
                        code=unit.get("code"),
                        tags="、".join(map(str, notify)),
                    )
        self.escalation_cycles()
        roles = {str(u.get("role", "unit")) for _, u in self.entries("units")}
        if "units" in self.data and "coordinator" not in roles:
            self.add(("units",), "no-coordinator")
        for index, ind in self.entries("indicators"):
            unit_ref(("indicators", index, "owner"), ind.get("owner"), "owner")
            item_ref(("indicators", index, "item"), ind.get("item"))
        groups = self.groups(unit_ref)
        parents = {str(u.get("code")): u.get("parent") for _, u in self.entries("units")}
        reporting: dict[str, set[str]] = {}  # indicator → the units whose tasks report it
        for index, task in self.entries("tasks"):
            unit_ref(("tasks", index, "owner"), task.get("owner"), "owner")
            assigned = self.assignment(index, task, groups, parents)
            cooperating = task.get("cooperating")
            if isinstance(cooperating, list):
                for position, code in enumerate(cooperating):
                    unit_ref(("tasks", index, "cooperating", position), code, "cooperating")
                self.cooperation(index, task, cooperating, assigned)
            if task.get("indicator") is not None:
                reporting.setdefault(str(task["indicator"]), set()).update(assigned)
            item_ref(("tasks", index, "item"), task.get("item"))
            indicator = task.get("indicator")
            if indicator is not None and str(indicator) not in indicators:
                self.add(
                    ("tasks", index, "indicator"),
                    "unknown-indicator",
                    code=indicator,
                    known=", ".join(list(indicators)[:8]),
                )
        self.shares(reporting, unit_ref)

    def groups(self, unit_ref: Any) -> dict[str, list[Any]]:
        """The named groups of units (`groups:`), each a non-empty list of known units."""
        value = self.data.get("groups")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(
                ("groups",), "type", field="groups", value="…", expected=self._expected("mapping")
            )
            return {}
        found: dict[str, list[Any]] = {}
        units = {str(u.get("code")) for _, u in self.entries("units")}
        for name, members in value.items():
            if str(name) in units:
                self.add(("groups", name), "group-name-taken", name=name)
            if not isinstance(members, list):
                self.add(
                    ("groups", name),
                    "type",
                    field=f"groups.{name}",
                    value="…",
                    expected=self._expected("list"),
                )
                continue
            if not members:
                self.add(("groups", name), "empty-group", name=name)
            seen: set[str] = set()
            for position, code in enumerate(members):
                unit_ref(("groups", name, position), code, f"groups.{name}")
                if str(code) in seen:
                    self.add(("groups", name, position), "unit-twice", code=code, via=f"组 {name}")
                seen.add(str(code))
            found[str(name)] = members
        return found

    def assignment(
        self,
        index: int,
        task: dict[str, Any],
        groups: dict[str, list[Any]],
        parents: dict[str, Any],
    ) -> list[str]:
        """The units the task is given to (分办), each problem reported at its line."""
        resolved = resolve(
            task.get("units"), owner=str(task.get("owner")), groups=groups, parents=parents
        )
        for trouble in resolved.troubles:
            params = dict(trouble.params)
            if trouble.code == "unknown-unit":
                params["known"] = ", ".join(list(parents)[:8])
            self.add(("tasks", index, "units", *trouble.where), trouble.code, **params)
        return resolved.units

    def cooperation(
        self, index: int, task: dict[str, Any], cooperating: list[Any], assigned: list[str]
    ) -> None:
        """协办 units send their input to one 主办: not to each of several units, not to
        themselves, and each once."""
        if cooperating and len(assigned) > 1:
            self.add(("tasks", index, "cooperating"), "cooperating-with-units", count=len(assigned))
        seen: set[str] = set()
        for position, code in enumerate(cooperating):
            if str(code) in assigned:
                self.add(
                    ("tasks", index, "cooperating", position),
                    "cooperating-is-responsible",
                    code=code,
                )
            elif str(code) in seen:
                self.add(
                    ("tasks", index, "cooperating", position),
                    "unit-twice",
                    code=code,
                    via="cooperating",
                )
            seen.add(str(code))

    def shares(self, reporting: dict[str, set[str]], unit_ref: Any) -> None:
        """分解指标: every share belongs to a known unit that reports the indicator; a count's
        shares add up to its target (the difference is named)."""
        for index, ind in self.entries("indicators"):
            shares, target = ind.get("shares"), ind.get("target")
            if not isinstance(shares, dict) or not shares or not isinstance(target, dict):
                continue
            code = str(ind.get("id"))
            for unit in shares:
                unit_ref(("indicators", index, "shares", unit), unit, "shares")
                if code in reporting and str(unit) not in reporting[code]:
                    self.add(
                        ("indicators", index, "shares", unit),
                        "share-not-reported",
                        code=unit,
                        indicator=code,
                    )
            values = [v for v in shares.values() if isinstance(v, int | float)]
            whole = target.get("value")
            if len(values) != len(shares) or not isinstance(whole, int | float):
                continue  # the schema reports what is not a number
            if str(target.get("unit", "")).strip() in ("%", "％"):
                continue  # a rate's shares are each unit's own target
            total = sum(values)
            if abs(total - whole) > 1e-9 * max(1.0, abs(whole)):
                self.add(
                    ("indicators", index, "shares"),
                    "shares-sum",
                    indicator=code,
                    total=_number(total),
                    target=_number(whole),
                    difference=_number(total - whole),
                )

    def escalation_cycles(self) -> None:
        parents: dict[str, tuple[int, Any]] = {}
        for index, unit in self.entries("units"):
            parents.setdefault(str(unit.get("code")), (index, unit.get("parent")))
        reported: set[frozenset[str]] = set()
        for start in parents:
            chain, code = [start], parents[start][1]
            while code is not None and str(code) in parents and str(code) not in chain:
                chain.append(str(code))
                code = parents[str(code)][1]
            if code is not None and str(code) == start and frozenset(chain) not in reported:
                reported.add(frozenset(chain))
                self.add(
                    ("units", parents[start][0], "parent"),
                    "escalation-cycle",
                    chain=" → ".join([*chain, start]),
                )


def _number(value: float) -> str:
    return f"{value:+g}".lstrip("+") if value == int(value) else f"{value:g}"
