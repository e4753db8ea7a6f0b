"""The HTTP API over real HTTP on loopback: every role, every refusal, the same numbers as the CLI."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from duban.api import create_app
from duban.models import ApiToken, Occurrence, StatusEvent
from duban.models.db import session_scope
from duban.portal import PortalConfig
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.evidence import EvidenceStore
from tests.conftest import EXAMPLE_PLAN
from tests.loopback import serving

JUNE_20 = dt.datetime(2022, 6, 20, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 Beijing


def token(cli, *args: str) -> str:
    result = cli("token", "create", *args, "--now", "2022-06-01T09:00+08:00")
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("dbn_")
    return secret


@pytest.fixture
def server(cli, engine: Engine, tmp_path: Path) -> Iterator[dict[str, object]]:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=JUNE_20)
    tokens = {
        "auditor": token(cli, "--role", "auditor", "--name", "审计处 张三"),
        "aqc": token(cli, "--role", "unit", "--unit", "aqc"),
        "jjc": token(cli, "--role", "unit", "--unit", "jjc"),
        "coordinator": token(cli, "--role", "coordinator"),
        "revoked": token(cli, "--role", "auditor"),
    }
    revoked_id = json.loads(cli("token", "list", "--json").stdout)[-1]["id"]
    assert cli("token", "revoke", str(revoked_id)).exit_code == 0

    # the portal's key and evidence stay in this test's directory, not the user's ~/.duban
    portal = PortalConfig(b"test-key", EvidenceStore(str(tmp_path / "evidence"), 1 << 20))
    app = create_app(engine, clock=lambda: JUNE_20, portal=portal)
    with serving(app) as url:
        yield {"url": url, "tokens": tokens}


def client(server: dict, who: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server['tokens'][who]}"} if who else {}
    return httpx.Client(base_url=str(server["url"]), headers=headers, timeout=10)


def owned_by(session: Session, unit: str, duty: str | None = None) -> list[int]:
    """The unit's open occurrences (of one duty: lead, cooperating, rectification)."""
    query = select(Occurrence.id).where(Occurrence.unit == unit, Occurrence.status == "open")
    if duty is not None:
        query = query.where(Occurrence.duty == duty)
    return list(session.exec(query.order_by(Occurrence.id)))


def ledger_size(session: Session) -> int:
    return session.exec(select(func.count()).select_from(StatusEvent)).one()


def test_no_bad_or_revoked_token_is_401_with_a_json_body(server) -> None:
    for headers in ({}, {"Authorization": "Bearer dbn_not-a-token"}, {"Authorization": "Basic x"}):
        answer = httpx.get(f"{server['url']}/api/occurrences", headers=headers)
        assert answer.status_code == 401 and answer.json()["error"] == "unauthenticated"
    revoked = client(server, "revoked").get("/api/summary")
    assert revoked.status_code == 401 and "吊销" in revoked.json()["message"]


def test_an_auditor_reads_everything_and_changes_nothing(server, session: Session) -> None:
    with client(server, "auditor") as http:
        listed = http.get("/api/occurrences", params={"limit": 1000})
        assert listed.status_code == 200
        units = {o["unit"] for o in listed.json()["items"]}
        assert {"aqc", "jjc"} <= units
        target = owned_by(session, "aqc")[0]
        before = ledger_size(session)
        refused = http.post(f"/api/occurrences/{target}/acknowledge")
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
        assert http.post(f"/api/occurrences/{target}/submit", json={}).status_code == 403
    assert ledger_size(session) == before


def test_a_unit_sees_and_acts_on_its_own_occurrences_only(server, session: Session) -> None:
    mine, theirs = owned_by(session, "aqc"), owned_by(session, "jjc")
    with client(server, "aqc") as http:
        listed = http.get("/api/occurrences").json()
        assert listed["total"] == len(
            session.exec(select(Occurrence.id).where(Occurrence.unit == "aqc")).all()
        )
        assert {o["unit"] for o in listed["items"]} == {"aqc"}
        assert http.get("/api/occurrences", params={"unit": "jjc"}).status_code == 403
        assert http.get(f"/api/occurrences/{theirs[0]}").status_code == 403
        before = ledger_size(session)
        for path in ("acknowledge", "submit"):
            other = http.post(f"/api/occurrences/{theirs[0]}/{path}", json={})
            assert other.status_code == 403 and "不属于本单位" in other.json()["message"]
        assert ledger_size(session) == before

        ack = http.post(f"/api/occurrences/{mine[0]}/acknowledge")
        assert ack.status_code == 200 and ack.json()["changed"] is True
        sent = http.post(
            f"/api/occurrences/{mine[0]}/submit",
            json={"note": "二季度排查报告已上传", "evidence": ["https://oa.example/doc/1"]},
        )
        assert sent.status_code == 200
        again = http.post(f"/api/occurrences/{mine[0]}/submit", json={})
        assert again.status_code == 409 and "不能重复报送" in again.json()["message"]
        history = http.get(f"/api/occurrences/{mine[0]}").json()["history"]
        steps = [(h["from"], h["to"]) for h in history if h["what"] == "status"]
        assert steps[-2:] == [("open", "acknowledged"), ("acknowledged", "submitted")]
        assert history[-1]["actor"].startswith("api:unit:aqc:token")
        assert history[-1]["note"] == "二季度排查报告已上传"
        own_summary = http.get("/api/summary").json()
        assert [r["key"] for r in own_summary] == ["aqc"]


def test_the_api_answers_with_the_cli_s_numbers_and_paginates(cli, server) -> None:
    with client(server, "coordinator") as http:
        api_rows = http.get("/api/summary", params={"by": "kind"}).json()
        first = http.get("/api/occurrences", params={"limit": 5, "offset": 0}).json()
        second = http.get("/api/occurrences", params={"limit": 5, "offset": 5}).json()
        bad = http.get("/api/occurrences", params={"period": "2022Q9"})
        no_kind = http.get("/api/occurrences", params={"kind": "meeting"})
        no_status = http.get("/api/occurrences", params={"status": "done"})
        too_many = http.get("/api/occurrences", params={"limit": 5000})
        overdue = http.get("/api/overdue").json()
        indicators = http.get("/api/indicators")
    cli_rows = json.loads(
        cli("audit", "summary", "--by", "kind", "--now", "2022-06-20T09:00+08:00", "--json").stdout
    )
    assert api_rows == cli_rows
    assert len(first["items"]) == len(second["items"]) == 5 and first["total"] > 10
    assert {o["id"] for o in first["items"]}.isdisjoint(o["id"] for o in second["items"])
    assert bad.status_code == 422 and "2022Q9" in bad.json()["message"]
    # a name that exists nowhere is a mistake to point out, not an empty answer (as in the CLI)
    assert no_kind.status_code == 422 and "inspection|evaluation" in no_kind.json()["message"]
    assert no_status.status_code == 422 and "期次状态“done”无效" in no_status.json()["message"]
    assert too_many.status_code == 422 and too_many.json()["error"] == "invalid"
    assert overdue["total"] > 0 and all(r["workdays_overdue"] > 0 for r in overdue["items"])
    assert indicators.status_code == 200 and len(indicators.json()) == 33


def test_every_request_is_logged_with_who_asked_and_tokens_are_stored_hashed(
    server, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="duban.api"):
        with client(server, "aqc") as http:
            http.get("/api/summary")
        httpx.get(f"{server['url']}/api/summary")
        time.sleep(0.2)
    lines = [r.getMessage() for r in caplog.records if r.name == "duban.api"]
    assert any("GET /api/summary → 200" in line and "(unit:aqc)" in line for line in lines)
    assert any("→ 401 by anonymous from 127.0.0.1" in line for line in lines)
    secrets = list(server["tokens"].values())
    stored = session.exec(select(ApiToken)).all()
    assert stored and all(row.token_hash not in secrets for row in stored)
    assert not any(secret in " ".join(lines) for secret in secrets)
    docs = httpx.get(f"{server['url']}/openapi.json")
    assert (
        docs.status_code == 200
        and "/api/occurrences/{occurrence_id}/submit" in docs.json()["paths"]
    )


def test_token_commands_refuse_what_cannot_work(cli, engine: Engine) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    for args, message in (
        (["--role", "root"], "角色“root”无效"),
        (["--role", "unit"], "单位令牌需要 --unit"),
        (["--role", "unit", "--unit", "nobody"], "没有单位“nobody”"),
        (["--role", "auditor", "--unit", "aqc"], "--unit 只用于 unit 角色"),
    ):
        result = cli("token", "create", *args)
        assert result.exit_code == 1 and message in result.stderr and "修正" in result.stderr
    assert cli("token", "revoke", "4242").exit_code == 1
    assert json.loads(cli("token", "list", "--json").stdout) == []


def test_coordinators_review_and_decide_extensions_units_cannot(server, session: Session) -> None:
    target = owned_by(session, "aqc")[0]
    with client(server, "aqc") as unit, client(server, "coordinator") as dcs:
        assert (
            unit.post(f"/api/occurrences/{target}/submit", json={"note": "报告"}).status_code == 200
        )
        assert (
            unit.post(f"/api/occurrences/{target}/review", json={"accept": True}).status_code == 403
        )
        returned = dcs.post(f"/api/occurrences/{target}/review", json={"accept": False})
        assert returned.status_code == 409 and "退办需要写明理由" in returned.json()["message"]
        back = dcs.post(
            f"/api/occurrences/{target}/review", json={"accept": False, "reason": "缺附件"}
        )
        assert back.status_code == 200 and back.json()["status"] == "returned"

        naive = unit.post(
            f"/api/occurrences/{target}/extension",
            json={"due_at": "2022-12-30T18:00:00", "reason": "台风"},
        )
        assert naive.status_code == 422 and "时区" in naive.json()["message"]
        asked = unit.post(
            f"/api/occurrences/{target}/extension",
            json={"due_at": "2022-12-30T18:00:00+08:00", "reason": "台风"},
        )
        assert asked.status_code == 200 and asked.json()["status"] == "pending"
        decision = f"/api/occurrences/{target}/extension/decision"
        assert unit.post(decision, json={"approve": True}).status_code == 403
        approved = dcs.post(decision, json={"approve": True})
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
    session.expire_all()
    occurrence = session.get_one(Occurrence, target)
    assert occurrence.due_at == dt.datetime(2022, 12, 30, 10, tzinfo=dt.UTC)
    assert occurrence.status == "returned"


@pytest.mark.parametrize(
    ("who", "params"),
    [("coordinator", {}), ("coordinator", {"period": "2022Q4"}), ("aqc", {"status": "scheduled"})],
)
def test_pages_read_in_sql_tile_the_whole_list(server, who: str, params: dict[str, str]) -> None:
    """Page after page (LIMIT/OFFSET in SQL) gives the whole list once, in order, with its
    total — for everyone's and for one unit's token, with filters."""
    with client(server, who) as http:
        whole = http.get("/api/occurrences", params={**params, "limit": 1000}).json()
        pages, offset = [], 0
        while True:
            page = http.get("/api/occurrences", params={**params, "limit": 2, "offset": offset})
            assert page.status_code == 200
            body = page.json()
            assert body["total"] == whole["total"]
            if not body["items"]:
                break
            pages += body["items"]
            offset += 2
    assert whole["total"] == len(whole["items"]) > 2
    assert pages == whole["items"]
    assert who == "coordinator" or {o["unit"] for o in pages} == {"aqc"}


def test_scores_answer_as_the_cli_and_a_unit_sees_its_own_row(cli, server) -> None:
    with client(server, "auditor") as http:
        everyone = http.get("/api/scores", params={"period": "2022H1"}).json()
    with client(server, "aqc") as http:
        own_row = http.get("/api/scores", params={"period": "2022H1"}).json()
    shown = cli(
        "audit", "scores", "--period", "2022H1", "--now", "2022-06-20T09:00+08:00", "--json"
    )
    assert everyone == json.loads(shown.stdout) and len(everyone) > 1
    assert [r["unit"] for r in own_row] == ["aqc"]
    assert own_row[0] == next(r for r in everyone if r["unit"] == "aqc")  # its rank kept


def test_bulletins_read_back_exactly_as_stored_and_only_by_their_recipients(
    server, engine: Engine
) -> None:
    import hashlib

    from duban.models import Plan
    from duban.tasks.bulletin.issue import issue
    from duban.tasks.bulletin.period import parse

    with session_scope(engine) as s:
        row, made = issue(s, s.get_one(Plan, "edu-2022"), parse("2022-06-13", None), now=JUNE_20)
    assert made
    with client(server, "auditor") as http:
        listed = http.get("/api/bulletins").json()
        one = http.get(f"/api/bulletins/{row.id}").json()
        missing = http.get("/api/bulletins/9999")
    with client(server, "aqc") as http:  # 安全稳定处 was not among the recipients
        unit_list = http.get("/api/bulletins").json()
        refused = http.get(f"/api/bulletins/{row.id}")
    assert [(b["id"], b["sha256"]) for b in listed] == [(row.id, row.sha256)]
    assert "markdown" not in listed[0]
    assert one["markdown"] == row.markdown
    assert hashlib.sha256(one["markdown"].encode()).hexdigest() == one["sha256"]
    assert missing.status_code == 404
    assert unit_list == [] and refused.status_code == 403
