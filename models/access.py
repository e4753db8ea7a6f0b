"""Who may use the API: bearer tokens, stored only as their SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, SQLModel

from duban.models.plan import _in
from duban.models.types import UTCDateTime

ROLES = ("auditor", "unit", "coordinator")


class ApiToken(SQLModel, table=True):
    """A bearer token: shown once at creation; the database keeps its hash, never the token."""

    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_api_token_role"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)  # sha256 hex of the whole token
    prefix: str  # the first characters, to recognise a token in lists and logs
    name: str
    role: str
    plan_id: str | None = Field(default=None, foreign_key="plan.id")
    unit: str | None = None  # role "unit": the unit code it acts for
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class PortalLink(SQLModel, table=True):
    """A unit's personal portal link: scoped to the unit (and optionally one occurrence),
    expiring and revocable. The link is signed with the portal key, which lives outside the
    database; this row holds only its scope and lifetime, so the database holds no secret."""

    __tablename__ = "portal_link"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id")
    unit: str  # the unit code it acts for
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id")
    created_by: str  # "dispatch", "cli:…"
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class SignInFailure(SQLModel, table=True):
    """A bad portal link or login from an address, kept for the throttle's window only: the
    count every API process reads, so replicas share one limit."""

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
