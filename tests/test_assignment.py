"""分办 and 主办/协办 on both databases: a task given to a group of units, each with its own
occurrence and record; 协办 inputs due before the 主办's deadline, seen by the 主办; targets
divided among units; a finding's 整改 for the unit where it was found; the roll-up."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from duban.models import Occurrence, StatusEvent, Task
from duban.models.db import session_scope
from duban.tasks.plan.assign import resolve
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.rectify import parse_finding

PLAN = """\
plan: {id: fb, title: 分办测试, year: 2022}
units:
  - {code: dcs, name: 督查室, role: coordinator}
  - {code: ld, name: 分管副局长, role: leader}
  - {code: jjc, name: 基础教育处, parent: ld}
  - {code: cwc, name: 计划财务处, parent: ld}
  - {code: aqc, name: 安全稳定处, parent: ld}
  - {code: hs, name: 海曙区教育局, parent: jjc}
  - {code: jb, name: 江北区教育局, parent: jjc}
  - {code: yz, name: 鄞州区教育局, parent: jjc}
  - {code: yy, name: 余姚市教育局, parent: jjc}
  - {code: cx, name: 慈溪市教育局, parent: jjc}
  - {code: yizhong, name: 市第一中学, parent: jjc}
groups:
  districts: [hs, jb, yz, yy, cx]
indicators:
  - id: XW
    name: 新增学位
    target: {comparator: ">=", value: 12000, unit: 个}
    owner: jjc
    shares: {hs: 2400, jb: 1800, yz: 3600, yy: 2200, cx: 2000}
tasks:
  - id: T-xuewei
    title: 新增学位
    kind: construction
    owner: jjc
    units: districts
    indicator: XW
    schedule: {rrule: "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1"}
  - id: T-yusuan
    title: 编制年度预算执行报告
    kind: other
    owner: jjc
    cooperating: [cwc]
    schedule: {due: 2022-06-30}
    reminders: {escalate_after_workdays: [1, 2]}
  - id: T-jiancha
    title: 校园安全专项检查
    kind: inspection
    owner: aqc
    schedule: {due: 2022-06-30}
    reminders: {rectify_within_workdays: 10}
"""
JAN_5 = dt.datetime(2022, 1, 5, 1, tzinfo=dt.UTC)  # Wednesday 09:00 Beijing


def beijing(text: str) -> str:
    return f"{text}+08:00"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "fb.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture
def opened(cli, engine: Engine, plan_file: Path) -> Path:
    result = cli("plan", "import", plan_file, "--now", "2022-01-01T08:00+08:00")
    assert result.exit_code == 0, result.output
    with session_scope(engine) as s:
        open_due(session=s, plan_id="fb", now=JAN_5)
    return plan_file


def occurrences(session: Session, task: str, key: str | None = None) -> list[Occurrence]:
    session.expire_all()
    query = select(Occurrence).join(Task).where(Task.code == task)
    if key is not None:
        query = query.where(Occurrence.key == key)
    return list(session.exec(query.order_by(col(Occurrence.unit), col(Occurrence.id))))


def of(rows: list[Occurrence], unit: str) -> Occurrence:
    [found] = [o for o in rows if o.unit == unit]
    return found


def test_a_task_for_a_group_of_five_opens_five_occurrences(opened, session: Session) -> None:
    june = occurrences(session, "T-xuewei", "2022-06-30")
    assert sorted(o.unit for o in june) == ["cx", "hs", "jb", "yy", "yz"]
    assert {(o.duty, o.status) for o in june} == {("lead", "open")}
    events = session.exec(
        select(StatusEvent).where(col(StatusEvent.occurrence_id).in_([o.id for o in june]))
    ).all()
    assert sorted(e.occurrence_id for e in events) == sorted(o.id for o in june)  # one each
    assert len(occurrences(session, "T-xuewei")) == 10  # two half-years × five units


def test_one_units_return_or_extension_changes_nobody_elses(
    cli, opened, session: Session, engine: Engine
) -> None:
    june = occurrences(session, "T-xuewei", "2022-06-30")
    hs, jb = of(june, "hs"), of(june, "jb")
    now = ["--now", beijing("2022-06-20T10:00")]
    for unit in (hs, jb):
        assert cli("submit", str(unit.id), "--value", "900", "--by", unit.unit, *now).exit_code == 0
    assert cli("review", str(hs.id), "--return", "缺少项目清单", "--by", "dcs", *now).exit_code == 0
    asked = cli(
        "extension",
        "request",
        str(of(june, "yz").id),
        "--to",
        "2022-07-15",
        "--reason",
        "工期",
        *now,
    )
    assert asked.exit_code == 0, asked.output
    decided = cli("extension", "decide", str(of(june, "yz").id), "--approve", "--by", "dcs", *now)
    assert decided.exit_code == 0, decided.output

    after = {o.unit: o for o in occurrences(session, "T-xuewei", "2022-06-30")}
    assert after["hs"].status == "returned" and after["jb"].status == "submitted"
    assert after["yz"].due_at.date() == dt.date(2022, 7, 15)
    assert after["yz"].original_due_at == hs.due_at  # its original stays on record
    for unit in ("hs", "jb", "yy", "cx"):
        assert after[unit].due_at == hs.due_at, unit  # nobody else's deadline moved
    assert {after[u].status for u in ("yy", "cx")} == {"open"}
    # the returned unit alone is told to resubmit
    with session_scope(engine) as s:
        due = sweep(session=s, plan_id="fb", now=dt.datetime(2022, 6, 21, 1, tzinfo=dt.UTC)).due
    returned = {(d.occurrence_id, d.recipient) for d in due if d.stage.startswith("returned")}
    assert returned == {(hs.id, "hs")}


def test_a_cooperating_unit_that_never_sends_its_input_escalates_up_its_own_chain_and_the_lead_sees_it_missing(
    cli, opened, session: Session, engine: Engine
) -> None:
    [lead] = [o for o in occurrences(session, "T-yusuan") if o.duty == "lead"]
    [given] = [o for o in occurrences(session, "T-yusuan") if o.duty == "cooperating"]
    assert (lead.unit, given.unit, given.parent_id) == ("jjc", "cwc", lead.id)
    # 5 workdays before Thursday 30 June: Thursday 23 June, at the same 18:00
    assert given.due_at == dt.datetime(2022, 6, 23, 10, tzinfo=dt.UTC)

    with session_scope(engine) as s:  # Monday 27 June: two workdays late
        due = sweep(session=s, plan_id="fb", now=dt.datetime(2022, 6, 27, 1, tzinfo=dt.UTC)).due
    to_input = {(d.stage.split("/")[0], d.recipient) for d in due if d.occurrence_id == given.id}
    # up cwc's own chain: its leader, then the coordinators — not jjc's
    assert {("escalate-1", "ld"), ("escalate-2", "dcs")} <= to_input
    assert not any(d.recipient == "jjc" for d in due if d.occurrence_id == given.id)

    shown = json.loads(cli("audit", "inputs", str(lead.id), "--json").stdout)
    assert [(i["unit"], i["sent"]) for i in shown] == [("cwc", False)]
    assert "未报送" in cli("audit", "inputs", str(lead.id)).stdout

    # the 主办 reports without it; accepted, the item closes and the input is recorded missed
    now = ["--now", beijing("2022-06-29T10:00")]
    assert cli("submit", str(lead.id), "--note", "执行报告", *now).exit_code == 0
    assert cli("review", str(lead.id), "--accept", "--by", "dcs", *now).exit_code == 0
    closed = {o.duty: o for o in occurrences(session, "T-yusuan")}
    assert closed["lead"].status == "accepted" and closed["cooperating"].status == "cancelled"
    rows = json.loads(
        cli(
            "audit", "summary", "--task", "T-yusuan", "--now", beijing("2022-07-01T09:00"), "--json"
        ).stdout
    )
    summary = {(r["key"], r["duty"]): r for r in rows}
    assert summary[("cwc", "cooperating")]["missed"] == 1  # 协办 counted apart, as missed
    assert summary[("cwc", "cooperating")]["on_time_rate"] == 0
    assert summary[("jjc", "lead")]["on_time"] == 1
    with session_scope(engine) as s:  # no longer reminded
        later = sweep(session=s, plan_id="fb", now=dt.datetime(2022, 7, 4, 1, tzinfo=dt.UTC)).due
    assert not [d for d in later if d.occurrence_id == given.id]


def test_an_input_sent_is_seen_by_the_lead_in_the_portal_and_the_api(
    cli, opened, session: Session, engine: Engine, tmp_path: Path
) -> None:
    from duban.api import create_app
    from duban.portal import PortalConfig
    from duban.tasks.work.evidence import EvidenceStore

    [lead] = [o for o in occurrences(session, "T-yusuan") if o.duty == "lead"]
    [given] = [o for o in occurrences(session, "T-yusuan") if o.duty == "cooperating"]
    now = ["--now", beijing("2022-06-20T10:00")]
    sent = cli(
        "submit", str(given.id), "--note", "预算执行数据见附表", "--evidence", "https://oa/7", *now
    )
    assert sent.exit_code == 0, sent.output

    links = {}
    for unit in ("jjc", "cwc", "hs"):
        made = cli("link", "create", "--unit", unit, "--now", beijing("2022-06-20T10:00"))
        links[unit] = next(
            line for line in made.stdout.splitlines() if line.startswith("/portal/l/")
        )
    key = (tmp_path / "data" / "portal.key").read_text().strip().encode()
    june = lambda: dt.datetime(2022, 6, 20, 2, tzinfo=dt.UTC)  # noqa: E731
    app = create_app(
        engine,
        clock=june,
        portal=PortalConfig(key=key, store=EvidenceStore(str(tmp_path / "ev"), 1 << 20), wall=june),
    )
    with TestClient(app) as jjc, TestClient(app) as cwc, TestClient(app) as hs:
        for client, unit in ((jjc, "jjc"), (cwc, "cwc"), (hs, "hs")):
            assert client.get(links[unit], follow_redirects=False).status_code == 303
        page = jjc.get(f"/portal/o/{lead.id}").text
        assert "协办意见（1/1 已报送）" in page and "预算执行数据见附表" in page
        assert "计划财务处" in page and "https://oa/7" in page
        assert jjc.get(f"/portal/o/{given.id}").status_code == 200  # the 主办 reads the input …
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        acted = jjc.post(f"/portal/o/{given.id}/ack", data={"csrf": token.group(1)})
        assert acted.status_code == 403  # … and cannot act on it
        mine = cwc.get("/portal/").text
        assert f"/portal/o/{given.id}" in mine and f"/portal/o/{lead.id}" not in mine
        assert "主办 基础教育处" in cwc.get(f"/portal/o/{given.id}").text
        assert hs.get(f"/portal/o/{given.id}").status_code == 403  # nothing of another unit's
        assert hs.get(f"/portal/o/{lead.id}").status_code == 403

    secret = (
        cli("token", "create", "--role", "unit", "--unit", "jjc").stdout.strip().splitlines()[-1]
    )
    with TestClient(app) as api:
        answer = api.get(
            f"/api/occurrences/{lead.id}/inputs", headers={"Authorization": f"Bearer {secret}"}
        )
    assert answer.status_code == 200
    [row] = answer.json()
    assert row["unit"] == "cwc" and row["sent"] and row["note"] == "预算执行数据见附表"


def test_shares_and_groups_that_do_not_fit_are_refused_with_the_line_and_the_difference(
    cli_nodb, tmp_path: Path
) -> None:
    bad = (
        PLAN.replace("cx: 2000}", "cx: 1800}")  # 200 short of the whole
        .replace(
            "  districts: [hs, jb, yz, yy, cx]",
            "  districts: [hs, jb, yz, yy, cx, hs]\n  empty: []",
        )
        .replace("    units: districts", "    units: [districts, qu]")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    result = cli_nodb("plan", "check", path)
    assert result.exit_code == 1
    lines = bad.splitlines()

    def line_of(text: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if text in line)

    out = result.stderr
    assert (
        f"bad.yaml:{line_of('shares:')}: 指标“XW”各单位分解数合计 11800，与目标 12000 相差 -200"
        in out
    )
    assert f"bad.yaml:{line_of('empty: []')}: 单位组“empty”是空的" in out
    assert f"bad.yaml:{line_of('districts: [hs, jb')}: 单位“hs”列了两次" in out
    assert f"bad.yaml:{line_of('units: [districts, qu]')}: “qu”既不是单位组也不是单位" in out
    assert "修正" in out and "未写入任何内容" in out


def test_a_finding_at_a_school_gives_that_school_the_rectification(
    cli, opened, session: Session, engine: Engine
) -> None:
    [inspection] = occurrences(session, "T-jiancha")
    now = ["--now", beijing("2022-06-28T10:00")]
    assert (
        cli(
            "submit",
            str(inspection.id),
            "--finding",
            "市第一中学：消防通道堵塞",
            "--finding",
            "值班记录缺失",
            *now,
        ).exit_code
        == 0
    )
    assert cli("review", str(inspection.id), "--accept", "--by", "dcs", *now).exit_code == 0
    fixes = [o for o in occurrences(session, "T-jiancha") if o.duty == "rectification"]
    assert {(o.unit, o.subject) for o in fixes} == {
        ("yizhong", "消防通道堵塞"),  # the school gets it …
        ("aqc", "值班记录缺失"),  # … and what names no unit stays with the inspector
    }
    # due by the plan's policy: 10 workdays after Tuesday 28 June is Tuesday 12 July, 18:00
    assert {o.due_at for o in fixes} == {dt.datetime(2022, 7, 12, 10, tzinfo=dt.UTC)}
    school = next(o for o in fixes if o.unit == "yizhong")
    with session_scope(engine) as s:  # reminded, and escalated up the school's own chain
        due = sweep(session=s, plan_id="fb", now=dt.datetime(2022, 7, 15, 1, tzinfo=dt.UTC)).due
    stages = {(d.stage.split("/")[0], d.recipient) for d in due if d.occurrence_id == school.id}
    assert ("escalate-3", "jjc") in stages
    for fix in fixes:
        assert cli("submit", str(fix.id), "--note", "已整改", *now).exit_code == 0
        assert cli("review", str(fix.id), "--accept", *now).exit_code == 0
    session.expire_all()
    assert session.get_one(Occurrence, inspection.id).closed_at is not None


def test_reimporting_an_edited_list_adds_and_cancels_units_through_the_ledger(
    cli, opened, session: Session, tmp_path: Path
) -> None:
    edited = tmp_path / "fb-edited.yaml"
    edited.write_text(
        PLAN.replace(
            "  districts: [hs, jb, yz, yy, cx]", "  districts: [hs, jb, yz, yy, yizhong]"
        ).replace("cx: 2000}", "yizhong: 2000}"),
        encoding="utf-8",
    )
    result = cli("plan", "import", edited, "--now", beijing("2022-02-01T08:00"))
    assert result.exit_code == 0, result.output
    rows = occurrences(session, "T-xuewei")
    gone = [o for o in rows if o.unit == "cx"]
    assert {o.status for o in gone} == {"cancelled"}  # the open one and the later one
    notes = session.exec(
        select(StatusEvent.note).where(
            col(StatusEvent.occurrence_id).in_([o.id for o in gone]),
            StatusEvent.to_status == "cancelled",
        )
    ).all()
    assert len(notes) == 2 and any("不再交由本单位" in (n or "") for n in notes)
    added = [o for o in rows if o.unit == "yizhong"]
    assert sorted(o.key for o in added) == ["2022-06-30", "2022-12-31"]
    assert {o.status for o in added} == {"scheduled"}
    assert cli("audit", "verify").exit_code == 0


def test_each_unit_measures_its_share_and_the_whole_is_their_sum(
    cli, opened, session: Session
) -> None:
    june = occurrences(session, "T-xuewei", "2022-06-30")
    now = ["--now", beijing("2022-06-20T10:00")]
    for unit, value in (("hs", 1500), ("jb", 600)):
        assert cli("submit", str(of(june, unit).id), "--value", str(value), *now).exit_code == 0
    [xw] = json.loads(
        cli("audit", "indicators", "--now", beijing("2022-06-21T10:00"), "--json").stdout
    )
    assert xw["latest"] == 2100 and xw["target"] == 12000
    shares = {s["unit"]: s for s in xw["shares"]}
    assert (shares["hs"]["target"], shares["hs"]["latest"]) == (2400, 1500)
    assert shares["yz"]["latest"] is None and shares["yz"]["attainment"] == "no_data"
    # 序时进度 by 21 June (47 % of the year): hs at 1500 of 2400 is ahead, jb at 600 of 1800 behind
    assert (shares["hs"]["pace"], shares["jb"]["pace"]) == ("ahead", "behind")
    table = cli("audit", "indicators", "--now", beijing("2022-06-21T10:00")).stdout
    assert "其中 海曙区教育局" in table

    rolled = json.loads(
        cli(
            "audit", "rollup", "--task", "T-xuewei", "--now", beijing("2022-07-04T10:00"), "--json"
        ).stdout
    )
    [period] = [r for r in rolled if r["key"] == "2022-06-30"]
    assert (period["units"], period["reported"], period["on_time"]) == (5, 2, 2)
    assert sorted(period["overdue"]) == ["cx", "yy", "yz"]  # the red ones, named
    assert "慈溪市教育局" in cli("audit", "rollup", "--now", beijing("2022-07-04T10:00")).stdout


@given(
    st.lists(st.sampled_from(["districts", "hs", "jb", "cwc", "nope", "ld"]), max_size=8),
)
def test_resolving_units_names_each_unit_once_and_reports_the_rest(names: list[str]) -> None:
    groups = {"districts": ["hs", "jb", "yz"]}
    parents = {"hs": "jjc", "jb": "jjc", "yz": "jjc", "cwc": "ld", "ld": None, "jjc": "ld"}
    found = resolve(names, owner="jjc", groups=groups, parents=parents)
    assert len(found.units) == len(set(found.units))
    assert set(found.units) <= set(parents)
    codes = {"unknown-group", "unit-twice"}
    assert {t.code for t in found.troubles} <= codes
    assert ("nope" in names) == any(t.code == "unknown-group" for t in found.troubles)


@given(st.text(max_size=40))
def test_a_finding_names_a_known_unit_or_stays_with_the_inspector(text: str) -> None:
    units = {"hs": "hs", "海曙区教育局": "hs", "yizhong": "yizhong", "市第一中学": "yizhong"}
    found = parse_finding(text, units, "aqc")
    assert found.unit in ("hs", "yizhong", "aqc")
    if found.unit != "aqc":
        assert text.strip().split("：")[0].split(":")[0].strip() in units
    assert found.text == found.text.strip()
