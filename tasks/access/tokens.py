"""API tokens: created with a role (and a unit for role "unit"), shown once, stored hashed.

Tokens carry 256 random bits, so one SHA-256 is the right hash: nothing to brute-force, and a
lookup by hash is an index probe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlmodel import Session, select

from duban.models import ApiToken, Unit
from duban.models.access import ROLES

PREFIX = "dbn_"


class TokenRefused(ValueError):
    """The token cannot be created or changed as asked."""


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    *,
    session: Session,
    role: str,
    plan_id: str,
    now: dt.datetime,
    unit: str | None = None,
    name: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token row and the token itself (the only time it exists in clear)."""
    if role not in ROLES:
        raise TokenRefused(f"角色“{role}”无效。修正：使用 {'|'.join(ROLES)}")
    if role == "unit":
        if not unit:
            raise TokenRefused("单位令牌需要 --unit。修正：加上 --unit 单位编号")
        known = session.exec(
            select(Unit.code).where(Unit.plan_id == plan_id, Unit.code == unit, Unit.active)
        ).first()
        if known is None:
            raise TokenRefused(
                f"计划 {plan_id} 中没有单位“{unit}”。修正：用 duban units list 查看单位编号"
            )
    elif unit:
        raise TokenRefused("--unit 只用于 unit 角色。修正：去掉 --unit，或改用 --role unit")
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        token_hash=hash_token(secret),
        prefix=secret[:10],
        name=name or (f"{role}:{unit}" if unit else role),
        role=role,
        plan_id=plan_id,
        unit=unit,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row, secret


def authenticate(session: Session, secret: str, now: dt.datetime) -> ApiToken | None:
    """The live token this secret is, or None (unknown or revoked)."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = now
    session.add(row)
    return row


def revoke(*, session: Session, token_id: int, now: dt.datetime) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise TokenRefused(f"令牌 {token_id} 不存在。修正：用 duban token list 查看令牌编号")
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
    return row
