"""Where `now` comes from: the system clock, or a plan year replayed on a compressed clock.

Two times, kept apart on purpose:
- **plan time** (`now()`): when work happens — openings, reports, reviews, deadlines, colours,
  reminders. Live, it is the system clock. In a replay it runs `speed` times faster from the
  start of the plan year and stops at its end.
- **wall time** (`wall()`): when credentials are issued and expire — portal links, sessions,
  tokens — and when Prefect should fire. Always the system clock: a link in a replayed
  reminder must still be valid tomorrow.

A replay is a small JSON file in the data directory (`replay.json`), written by `duban up`
when it replays a past plan year, so that every process of that run — the scheduled flow runs,
the portal, a CLI in another terminal — reads the same clock. Read once at the edge (a command,
a request, a flow run) and passed down; nothing deep calls it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPLAY_FILE = "replay.json"
Wall = Callable[[], dt.datetime]


def system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SystemTime:
    """Live: plan time is wall time."""

    def __init__(self, wall: Wall = system_now) -> None:
        self.wall = wall

    def now(self) -> dt.datetime:
        return self.wall()

    def plan_at(self, wall: dt.datetime) -> dt.datetime:
        return wall

    def wall_at(self, plan: dt.datetime) -> dt.datetime:
        return plan

    @property
    def resolution(self) -> dt.timedelta:
        """How much plan time one wall second is (a schedule's precision, in plan time)."""
        return dt.timedelta(seconds=1)


@dataclass(frozen=True)
class Replay:
    """A plan year on a compressed clock: `origin` (plan time) at `started` (wall time), then
    `speed` plan seconds per wall second, standing still at `end`."""

    plan_id: str
    started: dt.datetime
    origin: dt.datetime
    end: dt.datetime
    speed: float
    wall: Wall = system_now

    @classmethod
    def over(
        cls,
        plan_id: str,
        *,
        origin: dt.datetime,
        end: dt.datetime,
        minutes: float,
        started: dt.datetime,
        wall: Wall = system_now,
    ) -> Replay:
        """The replay that runs from `origin` to `end` in `minutes` of wall time."""
        speed = (end - origin).total_seconds() / (minutes * 60)
        return cls(plan_id, started, origin, end, speed, wall)

    def now(self) -> dt.datetime:
        return self.plan_at(self.wall())

    def plan_at(self, wall: dt.datetime) -> dt.datetime:
        elapsed = max((wall - self.started).total_seconds(), 0.0)
        return min(self.origin + dt.timedelta(seconds=elapsed * self.speed), self.end)

    def wall_at(self, plan: dt.datetime) -> dt.datetime:
        """The wall moment (whole seconds, rounded up) at which plan time reaches `plan`: a
        schedule fires then, and `plan_at` of it is never before `plan`."""
        exact = self.started + dt.timedelta(
            seconds=(plan - self.origin).total_seconds() / self.speed
        )
        return dt.datetime.fromtimestamp(math.ceil(exact.timestamp()), dt.UTC)

    @property
    def resolution(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.speed)

    def to_json(self) -> str:
        return json.dumps(
            {
                "plan_id": self.plan_id,
                "started": self.started.isoformat(),
                "origin": self.origin.isoformat(),
                "end": self.end.isoformat(),
                "speed": self.speed,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, wall: Wall = system_now) -> Replay:
        data = json.loads(text)
        return cls(
            data["plan_id"],
            dt.datetime.fromisoformat(data["started"]),
            dt.datetime.fromisoformat(data["origin"]),
            dt.datetime.fromisoformat(data["end"]),
            float(data["speed"]),
            wall,
        )


TimeSource = SystemTime | Replay


def load(data_dir: Path, wall: Wall = system_now) -> TimeSource:
    """The replay recorded in `data_dir`, else the system clock."""
    path = data_dir / REPLAY_FILE
    try:
        return Replay.from_json(path.read_text(encoding="utf-8"), wall)
    except FileNotFoundError:
        return SystemTime(wall)


def save(replay: Replay, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / REPLAY_FILE
    draft = path.with_suffix(".tmp")
    draft.write_text(replay.to_json(), encoding="utf-8")
    draft.replace(path)
    return path
