"""Portal links and sessions: HMAC-signed with the portal key, checked against the database.

A link is `<id>.<expiry>.<signature>`: the signature covers the row id, its unit, its
occurrence scope and the expiry, so changing any character of it is detected without a lookup
(a tampered link), and the row decides the rest (expired, revoked). The token is a function of
the row and the key, so the database keeps no secret and the dispatcher can put the same link
in every reminder a unit gets while it is valid.

A session (the portal's cookie) is `<kind>.<id>.<expiry>.<signature>`: kind `u` for a unit
signed in by a link, `c` for a coordinator signed in with an API token. Forms carry a CSRF
token derived from the session, so a page of another site cannot post in its name.

Why stdlib `hmac` and not itsdangerous: the signature covers what the token does not carry
(the unit, the occurrence scope: a link moved to another row fails), which itsdangerous's
signers — signing the payload they carry — would need inside the link, making the links in
SMS and DingTalk messages longer for no gain; what is left is one `hmac.new` and
`compare_digest`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from duban.models import ApiToken, PortalLink, Unit
from duban.tasks.timeline.clock import system_now

SESSION_HOURS = 12


class LinkRefused(ValueError):
    """A link or session that does not let anyone in, with the sentence to show."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # tampered | expired | revoked | unknown


def _sign(key: bytes, *parts: object) -> str:
    digest = hmac.new(key, ".".join(str(p) for p in parts).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def link_token(key: bytes, link: PortalLink) -> str:
    expiry = _epoch(link.expires_at)
    return (
        f"{link.id}.{expiry}.{_sign(key, 'link', link.id, link.unit, link.occurrence_id, expiry)}"
    )


def issue_link(
    *,
    session: Session,
    plan_id: str,
    unit: str,
    now: dt.datetime,
    valid_for: dt.timedelta,
    created_by: str,
    occurrence_id: int | None = None,
) -> PortalLink:
    known = session.exec(
        select(Unit.code).where(Unit.plan_id == plan_id, Unit.code == unit, Unit.active)
    ).first()
    if known is None:
        raise LinkRefused(
            "unknown", f"计划 {plan_id} 中没有单位“{unit}”。修正：用 duban units list 查看单位编号"
        )
    link = PortalLink(
        plan_id=plan_id,
        unit=unit,
        occurrence_id=occurrence_id,
        created_by=created_by,
        created_at=now,
        expires_at=(now + valid_for).replace(microsecond=0),
    )
    session.add(link)
    session.flush()
    return link


def current_link(
    *, session: Session, plan_id: str, unit: str, now: dt.datetime, valid_for: dt.timedelta
) -> PortalLink:
    """The unit's link for reminders: the newest live unit-wide link issued by the dispatcher
    that stays valid for at least half its lifetime, or a new one."""
    link = session.exec(
        select(PortalLink)
        .where(
            PortalLink.plan_id == plan_id,
            PortalLink.unit == unit,
            col(PortalLink.occurrence_id).is_(None),
            col(PortalLink.revoked_at).is_(None),
            PortalLink.created_by == "dispatch",
            PortalLink.expires_at > now + valid_for / 2,
        )
        .order_by(col(PortalLink.id).desc())
    ).first()
    return link or issue_link(
        session=session,
        plan_id=plan_id,
        unit=unit,
        now=now,
        valid_for=valid_for,
        created_by="dispatch",
    )


def verify_link(session: Session, key: bytes, token: str, now: dt.datetime) -> PortalLink:
    try:
        raw_id, raw_expiry, signature = token.split(".")
        link_id, expiry = int(raw_id), int(raw_expiry)
    except ValueError:
        raise LinkRefused("tampered", "链接无效：请使用提醒消息中的完整链接") from None
    link = session.get(PortalLink, link_id)
    expected = _sign(key, "link", link.id, link.unit, link.occurrence_id, expiry) if link else "-"
    if link is None or not hmac.compare_digest(signature, expected):
        raise LinkRefused("tampered", "链接无效：请使用提醒消息中的完整链接")
    if expiry != _epoch(link.expires_at) or link.expires_at <= now:
        raise LinkRefused("expired", "链接已过期：请使用最近一条提醒中的链接，或联系督查室")
    if link.revoked_at is not None:
        raise LinkRefused("revoked", "链接已停用：请联系督查室获取新链接")
    link.last_used_at = now
    session.add(link)
    return link


def revoke_link(*, session: Session, link_id: int, now: dt.datetime) -> PortalLink:
    link = session.get(PortalLink, link_id)
    if link is None:
        raise LinkRefused("unknown", f"链接 {link_id} 不存在。修正：用 duban link list 查看编号")
    if link.revoked_at is None:
        link.revoked_at = now
        session.add(link)
    return link


@dataclass(frozen=True)
class Visitor:
    """Who is using the portal: a unit (by a link) or a coordinator (by an API token)."""

    kind: str  # "u" | "c"
    credential_id: int
    plan_id: str
    unit: str | None  # the unit for kind "u"
    occurrence_id: int | None  # the one occurrence a scoped link allows
    name: str

    @property
    def is_coordinator(self) -> bool:
        return self.kind == "c"

    def actor(self, address: str) -> str:
        """What the ledger records: who, by which credential, from where."""
        if self.is_coordinator:
            return f"portal:coordinator:token{self.credential_id}@{address}"
        return f"portal:{self.unit}:link{self.credential_id}@{address}"


def session_cookie(key: bytes, kind: str, credential_id: int, expires_at: dt.datetime) -> str:
    expiry = _epoch(expires_at)
    return f"{kind}.{credential_id}.{expiry}.{_sign(key, 'session', kind, credential_id, expiry)}"


def session_expiry(now: dt.datetime, credential_expiry: dt.datetime | None) -> dt.datetime:
    limit = now + dt.timedelta(hours=SESSION_HOURS)
    return min(limit, credential_expiry) if credential_expiry else limit


def visitor(session: Session, key: bytes, cookie: str, now: dt.datetime) -> Visitor:
    """The visitor a session cookie stands for; the credential behind it is checked each time,
    so revoking a link or a token ends its sessions at once."""
    try:
        kind, raw_id, raw_expiry, signature = cookie.split(".")
        credential_id, expiry = int(raw_id), int(raw_expiry)
    except ValueError:
        raise LinkRefused("tampered", "登录状态无效，请重新打开链接") from None
    expected = _sign(key, "session", kind, credential_id, expiry)
    if kind not in ("u", "c") or not hmac.compare_digest(signature, expected):
        raise LinkRefused("tampered", "登录状态无效，请重新打开链接")
    if expiry <= _epoch(now):
        raise LinkRefused("expired", "登录已过期，请重新打开提醒中的链接")
    if kind == "u":
        link = session.get(PortalLink, credential_id)
        if link is None or link.revoked_at is not None or link.expires_at <= now:
            raise LinkRefused("revoked", "链接已停用或过期，请联系督查室")
        name = session.exec(
            select(Unit.name).where(Unit.plan_id == link.plan_id, Unit.code == link.unit)
        ).first()
        return Visitor(
            "u", credential_id, link.plan_id, link.unit, link.occurrence_id, name or link.unit
        )
    token = session.get(ApiToken, credential_id)
    if token is None or token.revoked_at is not None or token.role != "coordinator":
        raise LinkRefused("revoked", "令牌已吊销，请重新登录")
    return Visitor("c", credential_id, token.plan_id or "", None, None, f"督查室 · {token.name}")


def csrf_token(key: bytes, cookie: str) -> str:
    return _sign(key, "csrf", cookie)


def csrf_ok(key: bytes, cookie: str, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(csrf_token(key, cookie), offered or "")


@dataclass(frozen=True)
class LinkMaker:
    """The link a reminder to a responsible unit carries: its portal, on the current link.

    Links live in wall time (`wall`), whatever moment the reminder is written for: a reminder
    replayed with `--now 2022-06-28…`, or by a compressed replay of that year, must still carry
    a link that opens today."""

    base_url: str
    key: bytes
    valid_for: dt.timedelta
    wall: Callable[[], dt.datetime] = system_now

    def unit_url(self, session: Session, *, plan_id: str, unit: str) -> str:
        """The unit's current link; a reminder adds `?o=<occurrence>` to land on its page."""
        link = current_link(
            session=session, plan_id=plan_id, unit=unit, now=self.wall(), valid_for=self.valid_for
        )
        return f"{self.base_url.rstrip('/')}/portal/l/{link_token(self.key, link)}"
