"""Deciding the due reminder stages and colours of 100,000 occurrences at one `now`.

Pure computation, no database: `python bench/due_stages.py [N]`.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time

from duban.tasks.remind.policy import OccurrenceState, Policy, colour, due_stages
from duban.tasks.timeline.calendar import Clock, WorkCalendar

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
NOW = dt.datetime(2022, 7, 11, 3, 0, tzinfo=dt.UTC)  # Monday 11:00 Beijing


def occurrences(n: int) -> list[OccurrenceState]:
    rng = random.Random(2022)
    start = dt.datetime(2022, 1, 4, 1, 0, tzinfo=dt.UTC)
    statuses = ["open", "acknowledged", "acknowledged", "returned", "submitted", "accepted"]
    result = []
    for i in range(n):
        opens = start + dt.timedelta(days=rng.randrange(0, 300))
        due = (opens + dt.timedelta(days=rng.randrange(5, 120))).replace(hour=10)
        status = rng.choice(statuses)
        result.append(
            OccurrenceState(
                i, status, opens, due, rng.choice([0, 0, 2]), 1 if status == "returned" else 0
            )
        )
    return result


def main() -> None:
    policy = Policy()
    clock = Clock(WorkCalendar(), "Asia/Shanghai")
    items = occurrences(N)
    clock.calendar.is_workday(dt.date(2022, 1, 1))  # load the calendar before timing
    chain, coordinators = ["unit", "leader"], ["dcs"]

    started = time.perf_counter()
    total = sum(
        len(
            due_stages(
                o, policy=policy, clock=clock, chain=chain, coordinators=coordinators, now=NOW
            )
        )
        for o in items
    )
    stages_s = time.perf_counter() - started

    started = time.perf_counter()
    colours = [colour(o, policy=policy, clock=clock, now=NOW) for o in items]
    colour_s = time.perf_counter() - started

    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"due_stages: {N:,} occurrences -> {total:,} due stages in {stages_s:.3f} s "
        f"({N / stages_s:,.0f} occurrences/s)"
    )
    print(
        f"colour:     {N:,} occurrences -> {colours.count('red'):,} red, "
        f"{colours.count('yellow'):,} yellow in {colour_s:.3f} s"
    )


if __name__ == "__main__":
    main()
