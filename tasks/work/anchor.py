"""The ledger's head kept outside the database: what makes its tail checkable.

The hash chain (`ledger.verify`) shows a row changed, deleted or inserted in the middle, but a
chain cut short — the last rows deleted, or the whole database restored from yesterday's
copy — is still a valid chain. An anchor is the head as it was at a moment: how many rows,
and the last row's hash. Kept where the database's owner cannot silently rewrite it (each
sweep writes one to an append-only file beside the data and to a Prefect artifact, in the
orchestrator's own database; an auditor may copy one down), it is checked against the
database later: the row at that position must still be there, with that hash.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from duban.models import StatusEvent
from duban.tasks.work.ledger import GENESIS

_FORM = re.compile(r"^(?:(\d+):)?([0-9a-f]{64})$")


class AnchorError(ValueError):
    """An anchor that cannot be read (a mistyped `--anchor`, a damaged anchor file)."""


@dataclass(frozen=True)
class Anchor:
    rows: int | None  # None: a hash alone, as an auditor may have noted it
    hash: str
    at: datetime | None = None

    def __str__(self) -> str:
        return f"{self.rows}:{self.hash}" if self.rows is not None else self.hash

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """`ROWS:HASH` (as `duban audit anchor` prints it) or the 64-digit hash alone."""
        match = _FORM.match(text.strip().lower())
        if not match:
            raise AnchorError(
                f"锚点“{text}”格式不对：应为“条数:哈希”（如 1234:9f86d0…，64 位十六进制）或单独的哈希"
            )
        rows, digest = match.groups()
        return cls(int(rows) if rows else None, digest)


def head(session: Session, at: datetime) -> Anchor:
    """The ledger's head now: its row count and its last row's hash (the genesis when empty)."""
    rows = session.exec(select(func.count()).select_from(StatusEvent)).one()
    last = session.exec(
        select(StatusEvent.hash).order_by(col(StatusEvent.id).desc()).limit(1)
    ).first()
    return Anchor(rows, last or GENESIS, at.astimezone(UTC))


def check(session: Session, anchor: Anchor) -> str | None:
    """Why the database does not hold the anchored head (None when it does).

    Rows appended since the anchor are fine; fewer rows than anchored, or another hash at
    the anchored position, are not."""
    if anchor.rows is None:
        found = session.exec(select(StatusEvent.id).where(StatusEvent.hash == anchor.hash)).first()
        if found is None and anchor.hash != GENESIS:
            return f"台账中没有哈希为 {anchor.hash[:12]}… 的记录：该记录及其后的记录被删除，或数据库被换成了另一份"
        return None
    count = session.exec(select(func.count()).select_from(StatusEvent)).one()
    if count < anchor.rows:
        return (
            f"锚点记录时台账有 {anchor.rows} 条，现在只有 {count} 条："
            f"末尾 {anchor.rows - count} 条被删除，或数据库恢复自较早的备份"
        )
    if anchor.rows == 0:
        return None
    at_position = session.exec(
        select(StatusEvent.hash).order_by(col(StatusEvent.id)).offset(anchor.rows - 1).limit(1)
    ).one()
    if at_position != anchor.hash:
        return (
            f"台账第 {anchor.rows} 条记录的哈希与锚点不符：锚点之前的台账被整体改写，"
            "或数据库被换成了另一份"
        )
    return None


class AnchorLog:
    """An append-only file of anchors, one JSON line each; the last line is the latest."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, anchor: Anchor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        at = anchor.at.isoformat() if anchor.at else None
        line = json.dumps({"at": at, "rows": anchor.rows, "hash": anchor.hash}) + "\n"
        with self.path.open("a", encoding="utf-8") as out:  # one write: a line is whole or absent
            out.write(line)
            out.flush()
            os.fsync(out.fileno())

    def latest(self) -> Anchor | None:
        if not self.path.exists():
            return None
        lines = self.path.read_text(encoding="utf-8").splitlines()
        number, last = next(
            ((n, line) for n, line in reversed(list(enumerate(lines, 1))) if line.strip()),
            (0, ""),
        )
        if not last:
            return None
        try:
            data = json.loads(last)
            at = datetime.fromisoformat(data["at"]) if data.get("at") else None
            return Anchor(int(data["rows"]), str(data["hash"]), at)
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorError(
                f"{self.path} 第 {number} 行不是有效的锚点（{exc}）：恢复该文件，或用 --anchor 指定锚点"
            ) from exc
