"""The unit portal over real HTTP on loopback: links, sessions, CSRF, throttling, evidence files
and the Chinese answers to every mistake — with nothing changed when something is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from duban.api import create_app
from duban.models import Occurrence, SignInFailure, StatusEvent, Task
from duban.models.db import session_scope
from duban.portal import PortalConfig, Throttle
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.evidence import EvidenceStore
from tests.browser import require_chromium
from tests.conftest import EXAMPLE_PLAN
from tests.loopback import serving
from tests.receivers import HttpReceiver
from tests.test_api import owned_by
from tests.test_reminders import write_config

JUNE_20 = dt.datetime(2022, 6, 20, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 Beijing


@dataclasses.dataclass
class Portal:
    url: str
    clock: list[dt.datetime]
    store: Path
    cli: object

    def link(self, *args: str) -> str:
        """A new link made with `duban link create`, as the path the unit opens."""
        made = self.cli("link", "create", *args, "--now", self.clock[0].isoformat())  # type: ignore[operator]
        assert made.exit_code == 0, made.output
        path = made.stdout.strip().splitlines()[-2 if "DUBAN_PORTAL_URL" in made.stdout else -1]
        assert path.startswith("/portal/l/")
        return path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, follow_redirects=False)

    def log_in(self, http: httpx.Client, token: str) -> httpx.Response:
        """A coordinator signing in as the login page's form does (with its CSRF field)."""
        form = http.get("/portal/login")
        return http.post("/portal/login", data={"token": token, "csrf": csrf(form)})

    def signed_in(self, path: str) -> httpx.Client:
        http = self.client()
        opened = http.get(path)
        assert opened.status_code == 303, opened.text
        return http


@pytest.fixture
def portal(cli, engine: Engine, tmp_path: Path) -> Iterator[Portal]:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=JUNE_20)
    clock = [JUNE_20]
    store = tmp_path / "evidence"
    config = PortalConfig(
        key=b"",  # replaced below by the key `duban link create` signs with
        store=EvidenceStore(str(store), 1 << 20),
        throttle=Throttle(limit=8),
        wall=lambda: clock[0],  # links and sessions on the test's clock too
    )
    made = Portal("", clock, store, cli)
    made.link("--unit", "aqc")  # makes the data directory's key
    config.key = (tmp_path / "data" / "portal.key").read_text().strip().encode()
    with serving(create_app(engine, clock=lambda: clock[0], portal=config)) as url:
        made.url = url
        yield made


def ledger_size(engine: Engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(StatusEvent)).one()


def status_of(engine: Engine, occurrence_id: int) -> str:
    with Session(engine) as s:
        return s.get_one(Occurrence, occurrence_id).status


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the page has no CSRF field"
    return found.group(1)


def test_a_link_signs_the_unit_in_and_shows_only_its_own_work_by_urgency(
    portal: Portal, session: Session, engine: Engine
) -> None:
    mine, theirs = owned_by(session, "aqc"), owned_by(session, "jjc", "lead")
    http = portal.signed_in(portal.link("--unit", "aqc"))
    listed = http.get("/portal/")
    assert listed.status_code == 200
    ids = [int(i) for i in re.findall(r'href="/portal/o/(\d+)"', listed.text)]
    assert sorted(ids) == mine
    assert not set(ids) & set(theirs)
    assert "还剩" in listed.text or "已逾期" in listed.text
    assert re.search(r"星期[一二三四五六日]", listed.text)
    lights = re.findall(r'class="light (red|yellow|green|none)"', listed.text)
    rank = {"red": 0, "yellow": 1, "green": 2, "none": 3}
    assert [rank[c] for c in lights] == sorted(rank[c] for c in lights)

    other = http.get(f"/portal/o/{theirs[0]}")
    assert other.status_code == 403 and "无权查看" in other.text
    before = ledger_size(engine)
    token = csrf(http.get(f"/portal/o/{mine[0]}"))
    forged = http.post(f"/portal/o/{theirs[0]}/ack", data={"csrf": token})
    assert forged.status_code == 403
    assert status_of(engine, theirs[0]) == "open"
    assert ledger_size(engine) == before


def test_an_occurrence_scoped_link_opens_that_occurrence_only(
    portal: Portal, session: Session, engine: Engine
) -> None:
    first, second = owned_by(session, "aqc")[:2]
    http = portal.client()
    opened = http.get(portal.link("--unit", "aqc", "--occurrence", str(first)))
    assert opened.status_code == 303 and opened.headers["location"] == f"/portal/o/{first}"
    assert http.get(f"/portal/o/{first}").status_code == 200
    assert http.get(f"/portal/o/{second}").status_code == 403
    listed = http.get("/portal/")
    assert re.findall(r'href="/portal/o/(\d+)"', listed.text) == [str(first)]


def test_expired_revoked_and_tampered_links_are_refused(
    portal: Portal, session: Session, engine: Engine
) -> None:
    path = portal.link("--unit", "aqc", "--days", "1")
    http = portal.signed_in(path)
    assert http.get("/portal/").status_code == 200

    link_id, expiry, signature = path.rsplit("/", 1)[1].split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (
        f"/portal/l/{link_id}.{expiry}.{flipped}",  # signature changed
        f"/portal/l/{int(link_id) - 1}.{expiry}.{signature}",  # another link's id
        f"/portal/l/{link_id}.{int(expiry) + 86400}.{signature}",  # lengthened
        "/portal/l/not-a-link",
    ):
        refused = portal.client().get(bad)
        assert refused.status_code == 401 and "链接无效" in refused.text, bad
        assert "set-cookie" not in refused.headers

    portal.clock[0] = JUNE_20 + dt.timedelta(days=2)
    expired = portal.client().get(path)
    assert expired.status_code == 401 and "已过期" in expired.text
    assert http.get("/portal/").status_code == 401  # the session ends with its link

    portal.clock[0] = JUNE_20
    fresh = portal.link("--unit", "aqc")
    http = portal.signed_in(fresh)
    assert http.get("/portal/").status_code == 200
    made = portal.cli("link", "list", "--json")  # type: ignore[operator]
    newest = max(r["id"] for r in __import__("json").loads(made.stdout))
    assert portal.cli("link", "revoke", str(newest)).exit_code == 0  # type: ignore[operator]
    revoked = portal.client().get(fresh)
    assert revoked.status_code == 401 and "已停用" in revoked.text
    assert http.get("/portal/").status_code == 401  # revoking ends open sessions at once


def test_forms_without_the_csrf_token_change_nothing(
    portal: Portal, session: Session, engine: Engine
) -> None:
    target = owned_by(session, "aqc")[0]
    http = portal.signed_in(portal.link("--unit", "aqc"))
    other = portal.signed_in(portal.link("--unit", "aqc"))
    before = ledger_size(engine)
    for data in ({}, {"csrf": ""}, {"csrf": csrf(other.get(f"/portal/o/{target}"))}):
        refused = http.post(f"/portal/o/{target}/ack", data=data)
        assert refused.status_code == 403 and "校验码" in refused.text
    sent = http.post(f"/portal/o/{target}/submit", files={"files": ("a.pdf", b"%PDF-1.4")})
    assert sent.status_code == 403
    assert ledger_size(engine) == before and status_of(engine, target) == "open"


def test_repeated_bad_links_are_throttled(portal: Portal) -> None:
    good = portal.link("--unit", "aqc")
    for _ in range(8):
        assert portal.client().get("/portal/l/1.2.forged").status_code == 401
    blocked = portal.client().get(good)
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.text
    login = portal.client().post("/portal/login", data={"token": "dbn_x"})
    assert login.status_code == 429


def test_a_tampered_session_cookie_is_refused(portal: Portal) -> None:
    http = portal.signed_in(portal.link("--unit", "aqc"))
    cookie = http.cookies["duban_portal"]
    kind, number, expiry, signature = cookie.split(".")
    for forged in (
        f"c.{number}.{expiry}.{signature}",
        f"{kind}.{number}.{int(expiry) + 9}.{signature}",
    ):
        with httpx.Client(cookies={"duban_portal": forged}) as forger:
            answer = forger.get(portal.url + "/portal/")
        assert answer.status_code == 401
    assert portal.client().get("/portal/").status_code == 401  # no cookie at all


def test_coordinators_sign_in_with_their_own_token_units_cannot_review(
    portal: Portal, session: Session, engine: Engine
) -> None:
    cli = portal.cli
    unit_token = (
        cli("token", "create", "--role", "unit", "--unit", "aqc").stdout.strip().splitlines()[-1]
    )  # type: ignore[operator]
    boss = cli("token", "create", "--role", "coordinator").stdout.strip().splitlines()[-1]  # type: ignore[operator]
    for wrong in ("", "dbn_nonsense", unit_token):
        refused = portal.log_in(portal.client(), wrong)
        assert refused.status_code == 401 and "不是督办协调令牌" in refused.text
    coordinator = portal.client()
    signed = portal.log_in(coordinator, boss)
    assert signed.status_code == 303 and signed.headers["location"] == "/portal/review"
    forged = portal.client()  # a page on another site posting a token: no login form nonce
    assert forged.post("/portal/login", data={"token": boss}).status_code == 403
    assert forged.post("/portal/login", data={"token": boss, "csrf": "x"}).status_code == 403
    assert coordinator.get("/portal/review").status_code == 200

    target = owned_by(session, "aqc")[0]
    unit = portal.signed_in(portal.link("--unit", "aqc"))
    token = csrf(unit.get(f"/portal/o/{target}"))
    assert unit.post(f"/portal/o/{target}/submit", data={"csrf": token}).status_code == 303
    assert unit.get("/portal/review").status_code == 403
    forbidden = unit.post(f"/portal/o/{target}/review", data={"csrf": token, "decision": "accept"})
    assert forbidden.status_code == 403 and status_of(engine, target) == "submitted"


def test_actions_record_who_when_and_from_where(
    portal: Portal, session: Session, engine: Engine
) -> None:
    target = owned_by(session, "aqc")[0]
    http = portal.signed_in(portal.link("--unit", "aqc"))
    link_id = http.cookies["duban_portal"].split(".")[1]
    done = http.post(
        f"/portal/o/{target}/ack", data={"csrf": csrf(http.get(f"/portal/o/{target}"))}
    )
    assert done.status_code == 303 and done.headers["location"].endswith("done=acknowledged")
    with Session(engine) as s:
        event = s.exec(
            select(StatusEvent)
            .where(StatusEvent.occurrence_id == target)
            .order_by(StatusEvent.id.desc())  # type: ignore[union-attr]
        ).first()
    assert event is not None and event.to_status == "acknowledged"
    assert event.actor == f"portal:aqc:link{link_id}@127.0.0.1"
    assert event.at == JUNE_20
    assert "已签收" in http.get(done.headers["location"]).text


def test_evidence_files_are_stored_by_hash_and_proven_by_the_ledger(
    portal: Portal, session: Session, engine: Engine
) -> None:
    target = owned_by(session, "aqc")[0]
    http = portal.signed_in(portal.link("--unit", "aqc"))
    token = csrf(http.get(f"/portal/o/{target}"))
    report = "自查报告\n全市学校安全隐患排查 1,203 所".encode()

    too_big = http.post(
        f"/portal/o/{target}/submit",
        data={"csrf": token, "note": "附件"},
        files={"files": ("scan.pdf", b"x" * ((1 << 20) + 1), "application/pdf")},
    )
    assert too_big.status_code == 413 and "超过 1 MB" in too_big.text
    assert "附件" in too_big.text  # what was typed is kept
    wrong_type = http.post(
        f"/portal/o/{target}/submit",
        data={"csrf": token},
        files={"files": ("run.exe", b"MZ", "application/octet-stream")},
    )
    assert wrong_type.status_code == 422 and "不能作为佐证材料" in wrong_type.text
    disguised = http.post(  # a good file, then an executable renamed .pdf: neither is kept
        f"/portal/o/{target}/submit",
        data={"csrf": token},
        files=[
            ("files", ("自查报告.txt", report, "text/plain")),
            ("files", ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")),
        ],
    )
    assert disguised.status_code == 422 and "不是 PDF 文件" in disguised.text
    assert status_of(engine, target) == "open" and not any(portal.store.rglob("*"))

    sent = http.post(
        f"/portal/o/{target}/submit",
        data={"csrf": token, "note": "二季度自查", "findings": "3号楼消防通道堵塞\n\n食堂证照过期"},
        files=[
            ("files", ("../../etc/自查报告.txt", report, "text/plain")),
            ("files", ("photo.png", b"\x89PNG\r\n", "image/png")),
        ],
    )
    assert sent.status_code == 303, sent.text
    with Session(engine) as s:
        event = s.exec(
            select(StatusEvent).where(
                StatusEvent.occurrence_id == target, StatusEvent.to_status == "submitted"
            )
        ).one()
    files = [e for e in event.evidence if isinstance(e, dict) and "sha256" in e]
    digest = hashlib.sha256(report).hexdigest()
    assert files[0] == {
        "file": "自查报告.txt",
        "type": "text/plain",
        "size": len(report),
        "sha256": digest,
    }
    assert (portal.store / digest[:2] / digest).read_bytes() == report  # named by its hash only
    form = next(e for e in event.evidence if isinstance(e, dict) and e.get("form"))
    assert form["findings"] == ["3号楼消防通道堵塞", "食堂证照过期"]

    page = http.get(f"/portal/o/{target}")
    assert digest in page.text and "自查报告.txt" in page.text
    download = http.get(f"/portal/o/{target}/files/{digest}")
    assert download.status_code == 200 and download.content == report
    assert "attachment" in download.headers["content-disposition"]
    other = owned_by(session, "aqc")[0]
    assert http.get(f"/portal/o/{other}/files/{digest}").status_code == 404  # not that one's file
    jjc = portal.signed_in(portal.link("--unit", "jjc"))
    assert jjc.get(f"/portal/o/{target}/files/{digest}").status_code == 403


def test_mistakes_get_a_chinese_answer_and_nothing_half_saved(
    portal: Portal, session: Session, engine: Engine
) -> None:
    target = owned_by(session, "aqc")[0]
    http = portal.signed_in(portal.link("--unit", "aqc"))
    token = csrf(http.get(f"/portal/o/{target}"))

    past = http.post(
        f"/portal/o/{target}/extension",
        data={"csrf": token, "due_date": "2022-06-01", "reason": "汛期"},
    )
    assert past.status_code == 409 and "已经过去" in past.text
    no_date = http.post(f"/portal/o/{target}/extension", data={"csrf": token, "reason": "汛期"})
    assert no_date.status_code == 422 and "截止日期" in no_date.text
    before = ledger_size(engine)

    assert http.post(f"/portal/o/{target}/submit", data={"csrf": token}).status_code == 303
    again = http.post(f"/portal/o/{target}/submit", data={"csrf": token})
    assert again.status_code == 409 and "不能重复报送" in again.text
    assert ledger_size(engine) == before + 1

    boss = portal.cli("token", "create", "--role", "coordinator").stdout.strip().splitlines()[-1]  # type: ignore[operator]
    coordinator = portal.client()
    portal.log_in(coordinator, boss)
    page = coordinator.get(f"/portal/o/{target}")
    blank = coordinator.post(
        f"/portal/o/{target}/review", data={"csrf": csrf(page), "decision": "return"}
    )
    assert blank.status_code == 409 and "退办需要写明理由" in blank.text
    accepted = coordinator.post(
        f"/portal/o/{target}/review", data={"csrf": csrf(page), "decision": "accept"}
    )
    assert accepted.status_code == 303 and status_of(engine, target) == "accepted"
    late = http.post(f"/portal/o/{target}/submit", data={"csrf": token})
    assert late.status_code == 409 and "已办结" in late.text
    assert status_of(engine, target) == "accepted"


def test_the_link_token_never_reaches_the_log(portal: Portal, caplog) -> None:  # type: ignore[no-untyped-def]
    path = portal.link("--unit", "aqc")
    with caplog.at_level(logging.INFO):
        portal.signed_in(path).get("/portal/")
        portal.client().get(path + "x")
    secret = path.rsplit("/", 1)[1]
    ours = [r for r in caplog.records if r.name.startswith("duban")]  # (httpx logs its own URLs)
    assert ours and not any(secret in r.getMessage() for r in ours)


def test_a_reminder_carries_the_units_link_and_it_opens_the_portal(
    portal: Portal, session: Session, tmp_path: Path
) -> None:
    cli = portal.cli
    with HttpReceiver().running() as http:
        cli.env["DUBAN_APPRISE_CONFIG"] = str(write_config(tmp_path / "apprise.yaml", http))  # type: ignore[attr-defined]
        cli.env["DUBAN_PORTAL_URL"] = portal.url  # type: ignore[attr-defined]
        assert cli("remind", "--now", "2022-06-20T09:00+08:00").exit_code == 0  # type: ignore[operator]
        assert cli("remind", "--now", "2022-06-28T09:00+08:00").exit_code == 0  # type: ignore[operator]
    links = re.compile(r"办理：(http://\S+/portal/l/(\S+)\?o=(\d+))")
    to_aqc = [p["message"] for p in http.posts if p["path"].startswith("/aqc")]
    assert len(to_aqc) == 2  # 6-20, and 6-28 (overdue)
    tokens = [{token for _, token, _ in links.findall(body)} for body in to_aqc]
    assert [len(t) for t in tokens] == [1, 1]  # one link per unit in a message
    # links live in wall time: replaying 6-20 and 6-28 today hands out today's link twice
    assert tokens[0] == tokens[1]
    found = [m for body in to_aqc for m in links.findall(body)]
    mine = set(owned_by(session, "aqc")) | {
        o.id for o in session.exec(select(Occurrence).where(Occurrence.unit == "aqc"))
    }
    assert {int(o) for _, _, o in found} <= mine
    others = [p["message"] for p in http.posts if p["path"].startswith("/ld-")]
    assert others and not any("/portal/l/" in body for body in others)  # only the unit's own

    url, _, occurrence = found[0]
    opened = httpx.get(url, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/portal/o/{occurrence}"


def test_a_link_with_less_than_half_its_life_left_is_not_handed_out_again(
    portal: Portal, engine: Engine
) -> None:
    from duban.tasks.access.links import current_link

    days = dt.timedelta(days=14)
    with session_scope(engine) as s:
        first = current_link(session=s, plan_id="edu-2022", unit="aqc", now=JUNE_20, valid_for=days)
        same = current_link(
            session=s,
            plan_id="edu-2022",
            unit="aqc",
            now=JUNE_20 + dt.timedelta(days=6),
            valid_for=days,
        )
        fresh = current_link(
            session=s,
            plan_id="edu-2022",
            unit="aqc",
            now=JUNE_20 + dt.timedelta(days=8),
            valid_for=days,
        )
    assert same.id == first.id and fresh.id != first.id
    assert fresh.expires_at == (JUNE_20 + dt.timedelta(days=22)).replace(microsecond=0)


# --- end to end in Debian's chromium (Playwright drives the system browser; nothing downloaded)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "portal"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def test_a_unit_and_a_coordinator_work_an_occurrence_through_in_a_real_browser(
    portal: Portal, session: Session, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    name = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    shots = ARTIFACTS / name
    shots.mkdir(parents=True, exist_ok=True)
    target, later = inspection_occurrences(session)
    report = tmp_path / "二季度自查报告.pdf"
    report.write_bytes(b"%PDF-1.4\n% self-inspection report\n")
    boss = portal.cli("token", "create", "--role", "coordinator").stdout.strip().splitlines()[-1]  # type: ignore[operator]
    link = portal.url + portal.link("--unit", "aqc")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=["--no-sandbox"])
        unit = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
        chief = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()

        def shot(page, step: str) -> None:  # type: ignore[no-untyped-def]
            page.screenshot(path=str(shots / f"{step}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= page.viewport_size["width"], f"{step}: {width}px wide"

        unit.goto(link)
        expect(unit.locator("h1")).to_contain_text("待办工作")
        shot(unit, "01-unit-list-phone")
        unit.click(f'a[href="/portal/o/{target}"]')
        expect(unit.locator("#status")).to_have_text("待签收")
        unit.get_by_role("button", name="签收", exact=True).click()
        expect(unit.locator(".flash.ok")).to_have_text("已签收。")
        expect(unit.locator("#status")).to_have_text("已签收")

        unit.fill("#f-note", "二季度排查完成，见附件")
        unit.set_input_files("#f-files", str(report))
        shot(unit, "02-unit-report-phone")
        unit.get_by_role("button", name="提交报送").click()
        expect(unit.locator(".flash.ok")).to_contain_text("已报送")
        expect(unit.locator(".files a").first).to_have_text(report.name)

        chief.goto(portal.url + "/portal/login")
        chief.fill("#token", boss)
        chief.click("button:has-text('登录')")
        expect(chief.locator("h1").first).to_contain_text("待审核的报送（1）")
        shot(chief, "03-coordinator-review-desktop")
        chief.click(f'a[href="/portal/o/{target}"]')
        chief.fill("#r-reason", "缺少整改台账，请补充")
        chief.click("button:has-text('退办')")
        expect(chief.locator("#status")).to_have_text("已退办")

        unit.reload()
        expect(unit.locator("#status")).to_have_text("已退办")
        expect(unit.locator("ol.history")).to_contain_text("缺少整改台账，请补充")
        unit.fill("#f-note", "已补充整改台账")
        unit.get_by_role("button", name="提交报送").click()
        expect(unit.locator("#status")).to_have_text("已报送")

        chief.goto(portal.url + f"/portal/o/{target}")
        chief.click("button:has-text('通过（办结）')")
        expect(chief.locator("#status")).to_have_text("已办结")
        shot(chief, "04-coordinator-accepted-desktop")

        unit.goto(portal.url + f"/portal/o/{later}")
        unit.fill("#x-date", "2022-07-15")
        unit.fill("#x-reason", "汛期防台，排查顺延")
        unit.get_by_role("button", name="提交延期申请").click()
        expect(unit.locator(".flash.ok")).to_have_text("延期申请已提交，等待审批。")
        shot(unit, "05-unit-extension-phone")
        chief.goto(portal.url + "/portal/review")
        expect(chief.locator("h2").first).to_contain_text("待审批的延期申请（1）")
        expect(chief.locator(".rollup").first).to_contain_text("个单位")  # 分办汇总 beneath
        chief.click(f'a[href="/portal/o/{later}"]')
        chief.click("button:has-text('同意延期')")
        expect(chief.locator(".flash.ok")).to_have_text("已同意延期。")
        unit.reload()
        expect(unit.locator("dl")).to_contain_text("2022年7月15日 星期五")
        expect(unit.locator("dl")).to_contain_text("原截止")
        shot(unit, "06-unit-extended-phone")
        browser.close()

    with Session(engine) as s:
        steps = [
            (e.from_status, e.to_status)
            for e in s.exec(
                select(StatusEvent)
                .where(StatusEvent.occurrence_id == target)
                .order_by(StatusEvent.id)  # type: ignore[arg-type]
            )
        ]
        extended = s.get_one(Occurrence, later)
    assert steps[1:] == [
        ("open", "acknowledged"),
        ("acknowledged", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    assert extended.due_at.date() == dt.date(2022, 7, 15)
    assert extended.original_due_at.date() == dt.date(2022, 6, 30)
    assert len(list(shots.glob("*.png"))) == 6


def inspection_occurrences(session: Session) -> tuple[int, int]:
    """安全稳定处's 隐患排查: an overdue quarter to report, and the current one to extend."""
    rows = session.exec(
        select(Occurrence)
        .join(Task)
        .where(Occurrence.unit == "aqc", Task.kind == "inspection", Occurrence.status == "open")
        .order_by(Occurrence.due_at)  # type: ignore[arg-type]
    ).all()
    overdue = next(o.id for o in rows if o.due_at < JUNE_20)
    current = next(o.id for o in rows if o.due_at > JUNE_20)
    assert overdue and current
    return overdue, current


def test_the_signing_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from duban.runtime import Settings

    settings = Settings(data_dir=tmp_path / "data", portal_key=None)
    with ThreadPoolExecutor(8) as pool:  # several processes' first use at once
        keys = set(pool.map(lambda _: settings.signing_key(), range(16)))
    assert len(keys) == 1 and len(keys.pop()) >= 32
    key_file = tmp_path / "data" / "portal.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["portal.key"]  # no drafts left
    assert Settings(data_dir=tmp_path / "x", portal_key="given").signing_key() == b"given"


def test_a_link_made_by_the_cli_can_be_read_by_a_script(portal: Portal) -> None:
    made = portal.cli(
        "link",
        "create",
        "--unit",
        "aqc",
        "--days",
        "3",
        "--json",
        "--now",
        portal.clock[0].isoformat(),
    )  # type: ignore[operator]
    assert made.exit_code == 0, made.output
    link = json.loads(made.stdout)
    assert link["unit"] == "aqc" and link["id"] > 0 and link["occurrence"] is None
    assert link["expires_at"].startswith(
        (portal.clock[0] + dt.timedelta(days=3)).date().isoformat()
    )
    opened = portal.client().get("/portal/l/" + link["url"].split("/portal/l/")[1])
    assert opened.status_code == 303


def test_behind_a_trusted_proxy_each_client_is_throttled_and_recorded_as_itself(
    portal: Portal, engine: Engine, session: Session
) -> None:
    """The portal's test server is reached from 127.0.0.1, trusted as a proxy by default
    (`DUBAN_TRUSTED_PROXIES`): one client's mistyped links lock out that client only, and the
    ledger records the client's address, not the proxy's."""
    good = portal.link("--unit", "aqc")
    for _ in range(8):
        forged = portal.client().get(
            "/portal/l/1.2.forged", headers={"X-Forwarded-For": "203.0.113.5"}
        )
        assert forged.status_code == 401
    guesser = portal.client().get(good, headers={"X-Forwarded-For": "203.0.113.5"})
    assert guesser.status_code == 429
    http = portal.client()
    http.headers["X-Forwarded-For"] = "198.51.100.7"
    assert http.get(good).status_code == 303  # another client behind the same proxy
    target = owned_by(session, "aqc")[0]
    acked = http.post(
        f"/portal/o/{target}/ack", data={"csrf": csrf(http.get(f"/portal/o/{target}"))}
    )
    assert acked.status_code == 303
    with Session(engine) as s:
        last = s.exec(select(StatusEvent).order_by(StatusEvent.id.desc())).first()  # type: ignore[union-attr]
    assert last is not None and "198.51.100.7" in last.actor and "127.0.0.1" not in last.actor


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(
    portal: Portal, engine: Engine
) -> None:
    config = PortalConfig(
        key=(Path(portal.cli.env["DUBAN_DATA_DIR"]) / "portal.key").read_text().strip().encode(),  # type: ignore[attr-defined]
        store=EvidenceStore(str(portal.store), 1 << 20),
        throttle=Throttle(limit=3),
        wall=lambda: portal.clock[0],
    )
    app = create_app(engine, clock=lambda: portal.clock[0], portal=config, trusted_proxies="")
    with serving(app) as url, httpx.Client(base_url=url) as http:
        for n in range(3):  # a client claiming to be three others is still one address
            http.get("/portal/l/1.2.forged", headers={"X-Forwarded-For": f"203.0.113.{n}"})
        answer = http.get("/portal/l/1.2.forged", headers={"X-Forwarded-For": "203.0.113.99"})
    assert answer.status_code == 429


def test_two_api_processes_share_one_throttle_and_it_keeps_only_the_window(
    portal: Portal, engine: Engine
) -> None:
    """Two replicas of the API on one database: failures at either count for both; rows older
    than the window are gone once the next failure is recorded."""
    key = (Path(portal.cli.env["DUBAN_DATA_DIR"]) / "portal.key").read_text().strip().encode()  # type: ignore[attr-defined]

    def replica() -> object:
        config = PortalConfig(
            key=key,
            store=EvidenceStore(str(portal.store), 1 << 20),
            throttle=Throttle(limit=3),
            wall=lambda: portal.clock[0],
        )
        return create_app(engine, clock=lambda: portal.clock[0], portal=config)

    with serving(replica()) as one, serving(replica()) as two:
        for url in (one, two, one):
            assert httpx.get(f"{url}/portal/l/1.2.forged").status_code == 401
        assert httpx.get(f"{two}/portal/l/1.2.forged").status_code == 429
        assert httpx.get(f"{one}/portal/login").status_code == 200  # a page, not a try

    throttle, now = Throttle(limit=2, window=dt.timedelta(seconds=60)), JUNE_20
    throttle.failed(engine, "10.1.0.9", now)
    throttle.failed(engine, "10.1.0.9", now + dt.timedelta(seconds=1))
    assert throttle.blocked(engine, "10.1.0.9", now + dt.timedelta(seconds=2))
    assert not throttle.blocked(engine, "10.1.0.8", now + dt.timedelta(seconds=2))
    later = now + dt.timedelta(seconds=62)
    assert not throttle.blocked(engine, "10.1.0.9", later)
    throttle.failed(engine, "10.1.0.7", later)
    with Session(engine) as s:
        kept = s.exec(select(SignInFailure.address)).all()
    assert kept == ["10.1.0.7"]  # the window's rows only; the rest deleted
