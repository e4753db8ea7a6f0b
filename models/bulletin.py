"""督办通报 as sent: one row per bulletin, its exact text and to whom it went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from duban.models.types import JSONType, UTCDateTime


class Bulletin(SQLModel, table=True):
    """A bulletin for one period, written before it is sent; its Markdown is kept exactly as
    sent and its SHA-256 goes into the ledger. One per plan, cadence and period: a scheduled
    run that fires twice finds the row and sends nothing new."""

    __table_args__ = (UniqueConstraint("plan_id", "cadence", "period", name="uq_bulletin_period"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", index=True)
    cadence: str  # week | month
    period: str  # 2022-06-27 (the week's Monday) | 2022-06
    title: str
    composed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    markdown: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str
    # the numbers behind it (lights, overdue ids, ranking): what the next bulletin compares with
    snapshot: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    # who it went to: [{unit, name, role, status, channel, error, at}] — unit codes, never URLs
    recipients: list[Any] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    ledger_event_id: int | None = None
