"""Auditors' queries and exports on a year that really happened: on time, late, overdue across 调休."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from duban.models import Indicator, Measurement, Occurrence, Task
from duban.models.db import session_scope
from duban.tasks.audit.queries import PeriodError, parse_period
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.ledger import transition
from tests.conftest import EXAMPLE_PLAN

UTC = dt.UTC
# 12 October 2022, 09:00 Beijing: after the National Day holiday and its two 调休 weekend workdays
OCT_12 = "2022-10-12T09:00+08:00"


def beijing(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text + "+08:00").astimezone(UTC)


@pytest.fixture
def year(cli, engine: Engine) -> dict[str, int]:
    """安全稳定处's quarterly inspection: Q1 on time, Q2 three workdays late, Q3 overdue."""
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as s:
        for day in ("2022-01-04T09:00", "2022-04-01T09:00", "2022-07-01T09:00"):
            open_due(session=s, plan_id="edu-2022", now=beijing(day))
        rows = s.exec(
            select(Occurrence)
            .join(Task)
            .where(Task.code == "T-aq-paicha", Occurrence.duty == "lead")
            .order_by(Occurrence.key)
        ).all()
        q1, q2, q3, q4 = rows
        for occurrence, submitted, accepted in (
            (q1, "2022-03-30T10:00", "2022-04-01T09:00"),
            (q2, "2022-07-05T10:00", "2022-07-06T09:00"),
        ):
            transition(
                session=s,
                occurrence=occurrence,
                to_status="submitted",
                actor="unit:aqc",
                now=beijing(submitted),
            )
            transition(
                session=s,
                occurrence=occurrence,
                to_status="accepted",
                actor="coordinator:dcs",
                now=beijing(accepted),
            )
        open_due(session=s, plan_id="edu-2022", now=beijing("2022-10-12T09:00"))
        # 延期: another task's occurrence moved by a week; the original date stays on record
        other = s.exec(
            select(Occurrence)
            .join(Task)
            .where(
                Task.code != "T-aq-paicha", Occurrence.status == "open", Occurrence.duty == "lead"
            )
            .order_by(Occurrence.due_at)
        ).first()
        assert other is not None
        other.due_at = other.original_due_at + dt.timedelta(days=7)
        s.add(other)
        g11 = s.exec(select(Indicator).where(Indicator.code == "G1-1")).one()
        g23 = s.exec(select(Indicator).where(Indicator.code == "G2-3")).one()
        for indicator, value, at in (
            (g11, 98.0, "2022-06-30T12:00"),
            (g11, 99.3, "2022-09-30T12:00"),
            (g23, 4000, "2022-09-30T12:00"),
        ):
            s.add(
                Measurement(
                    indicator_id=indicator.id, value=value, at=beijing(at), reported_by="unit:x"
                )
            )
        return {"q1": q1.id, "q2": q2.id, "q3": q3.id, "q4": q4.id, "extended": other.id}


def test_summary_counts_on_time_late_and_overdue_in_official_workdays(cli, year) -> None:
    result = cli("audit", "summary", "--task", "T-aq-paicha", "--now", OCT_12, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    [row] = [r for r in rows if r["duty"] == "lead"]  # its own work; its 协办 inputs apart
    assert row["name"] == "安全稳定处"
    assert {r["key"] for r in rows if r["duty"] == "cooperating"} == {
        "jjc",
        "gjc",
        "zcc",
        "hs",
        "jb",
        "yz",
        "yy",
        "cx",
    }
    assert (row["due"], row["done"], row["on_time"], row["late"], row["overdue"]) == (3, 2, 1, 1, 1)
    # Q2: 1, 4 and 5 July = 3 workdays late; Q3: 8 and 9 October (调休) + 10–12 = 5 overdue
    assert row["average_workdays_late"] == 4.0
    assert row["on_time_rate"] == pytest.approx(1 / 3, abs=1e-4)

    table = cli("audit", "summary", "--task", "T-aq-paicha", "--now", OCT_12)
    assert "安全稳定处" in table.stdout and "33.3%" in table.stdout and "按时率" in table.stdout

    by_kind = json.loads(cli("audit", "summary", "--by", "kind", "--now", OCT_12, "--json").stdout)
    inspection = next(r for r in by_kind if r["key"] == "inspection")
    assert inspection["name"] == "检查督查" and inspection["on_time"] >= 1

    q2 = json.loads(
        cli(
            "audit",
            "summary",
            "--task",
            "T-aq-paicha",
            "--period",
            "2022Q2",
            "--now",
            OCT_12,
            "--json",
        ).stdout
    )
    assert [(r["due"], r["late"]) for r in q2 if r["duty"] == "lead"] == [(1, 1)]
    accepted = cli(
        "audit",
        "summary",
        "--task",
        "T-aq-paicha",
        "--status",
        "accepted",
        "--now",
        OCT_12,
        "--json",
    )
    assert [(r["due"], r["on_time"], r["late"]) for r in json.loads(accepted.stdout)] == [(2, 1, 1)]


def test_the_overdue_list_names_the_unit_how_late_and_the_original_date(cli, year) -> None:
    result = cli("audit", "overdue", "--now", OCT_12, "--json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows[year["q3"]]["workdays_overdue"] == 5 and rows[year["q3"]]["colour"] == "red"
    assert year["q1"] not in rows and year["q2"] not in rows and year["q4"] not in rows
    extended = rows[year["extended"]]
    assert extended["due_at"] != extended["original_due_at"]
    days = [r["workdays_overdue"] for r in json.loads(result.stdout)]
    assert days == sorted(days, reverse=True)

    table = cli("audit", "overdue", "--now", OCT_12, "--unit", "aqc")
    assert "开展安全稳定隐患排查治理" in table.stdout and "2022-09-30 周五 18:00" in table.stdout


def test_history_tells_who_did_what_and_when(cli, year) -> None:
    result = cli("audit", "history", str(year["q2"]), "--json")
    assert result.exit_code == 0, result.output
    events = [e for e in json.loads(result.stdout) if e["what"] == "status"]
    assert [(e["from"], e["to"], e["actor"]) for e in events] == [
        ("scheduled", "open", events[0]["actor"]),
        ("open", "submitted", "unit:aqc"),
        ("submitted", "accepted", "coordinator:dcs"),
    ]
    table = cli("audit", "history", str(year["q2"]))
    assert "已报送 → 已办结" in table.stdout and "2022-07-05 周二 10:00" in table.stdout
    missing = cli("audit", "history", "999999")
    assert missing.exit_code == 1 and "期次 999999 不在计划" in missing.stderr


def test_indicators_show_attainment_and_pace(cli, year) -> None:
    rows = {
        r["code"]: r
        for r in json.loads(cli("audit", "indicators", "--now", OCT_12, "--json").stdout)
    }
    assert rows["G1-1"]["latest"] == 99.3 and rows["G1-1"]["attainment"] == "met"
    assert rows["G1-1"]["pace"] is None  # a rate with no baseline has no even path
    # 在校研究生 ≥ 7000: 4000 by October, when an even pace says ~5,400 → behind
    assert rows["G2-3"]["attainment"] == "not_met" and rows["G2-3"]["pace"] == "behind"
    assert 5300 < rows["G2-3"]["expected_now"] < 5500
    assert rows["G2-4"]["attainment"] == "no_data"
    # the measurement in the future of --now does not count
    june = {
        r["code"]: r
        for r in json.loads(
            cli("audit", "indicators", "--now", "2022-07-01T09:00+08:00", "--json").stdout
        )
    }
    assert june["G1-1"]["latest"] == 98.0 and june["G1-1"]["attainment"] == "not_met"


def test_bad_filters_are_refused_with_the_fix(cli, year) -> None:
    for args, message in (
        (["--period", "2022Q5"], "时段“2022Q5”无效"),
        (["--kind", "party"], "任务类型“party”无效"),
        (["--by", "leader"], "--by 的值“leader”无效"),
    ):
        result = cli("audit", "summary", *args)
        assert result.exit_code == 1 and message in result.stderr and "修正" in result.stderr
        assert "Traceback" not in result.output


def test_csv_on_stdout_matches_the_json(cli, year) -> None:
    as_csv = cli("audit", "overdue", "--now", OCT_12, "--csv").stdout
    as_json = json.loads(cli("audit", "overdue", "--now", OCT_12, "--json").stdout)
    rows = list(csv.reader(as_csv.splitlines()))
    assert rows[0][:3] == ["编号", "任务", "责任单位"]
    assert [int(r[0]) for r in rows[1:]] == [r["id"] for r in as_json]


def test_excel_csv_and_html_reports_read_back(cli, year, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx = tmp_path / "audit.xlsx"
    result = cli("report", "-o", str(xlsx), "--now", OCT_12)
    assert result.exit_code == 0, result.output
    book = load_workbook(xlsx)
    assert book.sheetnames == [
        "期次明细",
        "按单位汇总",
        "按类型汇总",
        "当前逾期",
        "指标完成情况",
        "考核评分",
    ]
    # 考核评分: ranked, each score with its events, as `duban audit scores` says
    scored = json.loads(cli("audit", "scores", "--now", OCT_12, "--json").stdout)
    sheet = list(book["考核评分"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in sheet] == [(s["name"], s["score"]) for s in scored]
    aqc = next(r for r in sheet if r[1] == "安全稳定处")
    assert "按时报送 T-aq-paicha 2022-03-31（主办 ×1）+1" in aqc[6]
    overdue_sheet = book["当前逾期"]
    assert overdue_sheet.freeze_panes == "A2" and overdue_sheet["A1"].font.bold
    assert overdue_sheet.column_dimensions["B"].width > 20  # Chinese titles fit
    ids = [row[0] for row in overdue_sheet.iter_rows(min_row=2, values_only=True)]
    expected = json.loads(cli("audit", "overdue", "--now", OCT_12, "--json").stdout)
    assert ids == [r["id"] for r in expected]

    out = tmp_path / "overdue.csv"
    assert cli("report", "-o", str(out), "--view", "overdue", "--now", OCT_12).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert [int(r[0]) for r in rows[1:]] == ids

    page = tmp_path / "audit.html"
    assert cli("report", "-o", str(page), "--period", "2022", "--now", OCT_12).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 3 and "完成情况（按单位）" in text and "安全稳定处" in text
    assert "<script" not in text and "http://" not in text and "https://" not in text

    bad = cli("report", "-o", str(tmp_path / "audit.pdf"))
    assert bad.exit_code == 1 and "--format" in bad.stderr
    assert not list(tmp_path.glob(".duban-*")) and not (tmp_path / "audit.pdf").exists()


@given(
    year=st.integers(min_value=2000, max_value=2100),
    part=st.sampled_from(
        ["", "Q1", "Q2", "Q3", "Q4", "H1", "H2", *[f"-{m:02d}" for m in range(1, 13)]]
    ),
)
def test_periods_tile_the_year(year: int, part: str) -> None:
    period = parse_period(f"{year}{part}")
    assert period.start.year == period.end.year == year
    assert period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1
    if part.startswith("Q"):
        quarter = int(part[1])
        assert (period.start.month, period.end.month) == (3 * quarter - 2, 3 * quarter)


@given(st.text(max_size=12))
def test_period_parser_never_crashes(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert period.start <= period.end


def test_before_anything_is_due_every_unit_shows_zero_and_no_rate(cli, session: Session) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    result = cli("audit", "summary", "--now", "2022-01-02T09:00+08:00", "--json")
    rows = json.loads(result.stdout)
    assert result.exit_code == 0 and rows
    assert {(r["due"], r["on_time_rate"], r["average_workdays_late"]) for r in rows} == {
        (0, None, None)
    }


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_html_report_renders_its_charts_in_a_headless_browser(
    cli, year, tmp_path: Path
) -> None:
    import subprocess

    from PIL import Image

    from tests.browser import require_chromium

    page = tmp_path / "audit.html"
    assert cli("report", "-o", str(page), "--now", OCT_12).exit_code == 0
    shot = tmp_path / "audit.png"
    subprocess.run(
        [
            require_chromium(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1280,1400",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    image = Image.open(shot).convert("RGB")
    counts = {"on_time": 0, "late": 0, "overdue": 0}
    targets = {"on_time": (46, 125, 50), "late": (249, 168, 37), "overdue": (198, 40, 40)}
    for pixel in image.getdata():
        for name, colour in targets.items():
            if all(abs(a - b) <= 6 for a, b in zip(pixel, colour, strict=True)):
                counts[name] += 1
    # bars of every series were drawn: on time (Q1 and others), late (Q2), overdue (Q3 …)
    assert counts["on_time"] > 1500 and counts["overdue"] > 1500 and counts["late"] > 100, counts


@pytest.mark.parametrize("period", ["2022Q1", "2022Q2", "2022Q3", "2022Q4", "2022-06", "2022H2"])
def test_a_period_read_in_sql_holds_exactly_the_occurrences_due_on_its_local_dates(
    cli, session, period: str
) -> None:
    from zoneinfo import ZoneInfo

    from duban.tasks.audit.queries import Filters, occurrence_facts

    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    zone, chosen = ZoneInfo("Asia/Shanghai"), parse_period(period)
    everything = occurrence_facts(session, "edu-2022")
    expected = [f.id for f in everything if f.due_at.astimezone(zone).date() in chosen]
    found = [f.id for f in occurrence_facts(session, "edu-2022", Filters(period=chosen))]
    assert found == expected and found
