"""What the CLI, the API and the flows share at run time: the settings (from the environment
and an optional `.env`, read once at the edge), the database engine and the channels they name.

A layer of its own, below the flows and the shells and above the domain: the flows read it in
their own processes, so it cannot live in the CLI; the domain never reads it, it is handed
what it needs. The apprise configuration comes from a file (`DUBAN_APPRISE_CONFIG`) or a
Prefect Secret block (`DUBAN_APPRISE_SECRET`, for workers that should carry no files); both
keep the channel URLs and their tokens out of the plan file and the database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from duban.tasks.timeline import clock

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from duban.models import Bulletin
    from duban.tasks.access.links import LinkMaker
    from duban.tasks.bulletin.period import BulletinPeriod
    from duban.tasks.remind.delivery import AppriseTransport, Transport
    from duban.tasks.remind.dispatch import DispatchResult


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUBAN_", env_file=".env", extra="ignore")

    data_dir: Path = Path.home() / ".duban"
    database_url: str | None = None
    apprise_config: Path | None = None  # an apprise YAML/TEXT file with the channel URLs
    apprise_secret: str | None = None  # or: the name of a Prefect Secret block holding that text
    lang: Literal["zh-CN", "en"] = "zh-CN"
    # the unit portal (`duban api` serves it under /portal)
    portal_url: str | None = None  # its public address; reminders carry links only when set
    portal_key: str | None = None  # signs links and sessions; default: a key file in data_dir
    portal_link_days: int = 14  # how long a link in a reminder stays valid
    evidence_url: str | None = None  # where evidence files go (fsspec); default: data_dir/evidence
    evidence_max_mb: int = 20
    # `duban up` on a plan whose year is over replays that year in this many minutes
    replay_minutes: float = 6
    inbox: bool = False  # serve the loopback inbox (/inbox/) that a replay's reminders go to
    # the reverse proxies whose X-Forwarded-For names the client (addresses, networks, "*")
    trusted_proxies: str = "127.0.0.1"
    # the ledger's anchors (its head after each sweep): append-only, outside the database
    anchor_file: Path | None = None  # default: data_dir/ledger-anchors.jsonl

    def time(self) -> clock.TimeSource:
        """The clock of this data directory: a replay's, if one is recorded there, else the
        system clock. Read it once at the edge (a command, a request, a flow run)."""
        return clock.load(self.data_dir)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'duban.db'}"

    @property
    def effective_anchor_file(self) -> Path:
        return self.anchor_file or self.data_dir / "ledger-anchors.jsonl"

    @property
    def effective_evidence_url(self) -> str:
        return self.evidence_url or str(self.data_dir / "evidence")

    def link_maker(self) -> LinkMaker | None:
        """What puts portal links into reminders; None while no portal address is set."""
        from duban.tasks.access.links import LinkMaker

        if not self.portal_url:
            return None
        return LinkMaker(self.portal_url, self.signing_key(), timedelta(days=self.portal_link_days))

    def signing_key(self) -> bytes:
        """The portal key: DUBAN_PORTAL_KEY, or a random key kept in a 0600 file beside the
        data (made on first use). Never in the database: a stolen database forges no link."""
        if self.portal_key:
            return self.portal_key.encode()
        path = self.data_dir / "portal.key"
        if not path.exists():  # written aside, then linked: a reader never sees it half made
            path.parent.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f".portal.key.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(32))
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                draft.unlink()
        return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()


def engine(settings: Settings | None = None) -> Engine:
    """The engine of the configured database: one per URL per process."""
    from duban.models.db import engine_for

    return engine_for((settings or get_settings()).effective_database_url)


def load_transport(settings: Settings) -> AppriseTransport | None:
    """The transport the settings describe, or None when no channel is configured.

    Raises `DeliveryError` with a message naming the source (never its content). Loads
    apprise only here: a command that sends nothing starts without it.
    """
    if settings.apprise_config is None and settings.apprise_secret is None:
        return None
    from duban.tasks.remind.delivery import AppriseTransport, DeliveryError

    if settings.apprise_config is not None:
        return AppriseTransport(settings.apprise_config)
    from prefect.blocks.system import Secret  # only a secret-configured run needs the API

    try:
        value = Secret.load(settings.apprise_secret).get()
    except Exception as exc:  # missing block, unreachable API: the run reports it, not a traceback
        raise DeliveryError(
            f"无法读取 Prefect Secret 块“{settings.apprise_secret}”：{type(exc).__name__}",
            permanent=True,
        ) from None
    if not isinstance(value, str):
        raise DeliveryError(
            f"Prefect Secret 块“{settings.apprise_secret}”的值应为 apprise 配置文本", permanent=True
        )
    return AppriseTransport(text=value)


def send_outbox(
    settings: Settings,
    transport: Transport,
    *,
    worker: str,
    now: datetime,
    clock: Callable[[], datetime],
) -> DispatchResult:
    """Send the outbox's due rows as every sender does (the sweep, the failure alert,
    `duban remind`): in the settings' language, each line linking the run in the Prefect UI
    (`PREFECT_UI_URL`, when set) or the unit's portal (`DUBAN_PORTAL_URL`, when set)."""
    from duban.tasks.remind.dispatch import dispatch
    from duban.tasks.remind.texts import run_link

    return dispatch(
        engine(settings),
        transport,
        worker=worker,
        now=now,
        clock=clock,
        lang=settings.lang,
        link=run_link(os.environ.get("PREFECT_UI_URL")),
        portal=settings.link_maker(),
    )


def send_bulletin(
    settings: Settings,
    transport: Transport | None,
    *,
    plan_id: str,
    period: BulletinPeriod,
    now: datetime,
    clock: Callable[[], datetime],
    to: list[str] | None = None,
) -> tuple[Bulletin, bool]:
    """Issue the period's 督办通报 (stored and in the ledger before anything is sent) and send
    it, with the year's report as xlsx and HTML attached, to the recipients not reached yet —
    as the scheduled flow and `duban bulletin send` both do (no transport: stored, not sent).
    True: composed by this call."""
    import tempfile

    from duban.models import Plan
    from duban.models.db import session_scope
    from duban.tasks.bulletin.deliver import deliver
    from duban.tasks.bulletin.issue import attachments, issue, tags_of

    built = engine(settings)
    with session_scope(built) as session:
        row, made = issue(session, session.get_one(Plan, plan_id), period, now=now, to=to)
        bulletin_id, tags = row.id, tags_of(session, plan_id)
    assert bulletin_id is not None
    if transport is None:
        return row, made
    with tempfile.TemporaryDirectory(prefix="duban-bulletin-") as directory:
        with session_scope(built) as session:
            plan = session.get_one(Plan, plan_id)
            files = attachments(session, plan, period, now, Path(directory))
        row = deliver(built, bulletin_id, transport, tags_of=tags, attachments=files, clock=clock)
    return row, made
