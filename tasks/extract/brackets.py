"""Where a passage breaks into clauses, ignoring breaks inside (brackets)."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from functools import lru_cache


@lru_cache(maxsize=16)
def top_level(text: str, breaks: str) -> tuple[int, ...]:
    """Positions of the `breaks` characters that stand outside any brackets (a bracket that does
    not close on its line, "高职(???、職業本科…" where a scrape lost its end, opens none)."""
    found, depth = [], 0
    for match in _marks(breaks).finditer(text):  # brackets and breaks only, not every character
        ch = match.group()
        if ch == "(":
            near = match.end() + 600  # read a bracket's line so far: a page may have no breaks
            line_end = text.find("\n", match.end(), near)
            if text.find(")", match.end(), near if line_end < 0 else line_end) >= 0:
                depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            found.append(match.start())
    return tuple(found)


@lru_cache(maxsize=8)
def _marks(breaks: str) -> re.Pattern[str]:
    return re.compile(f"[(){re.escape(breaks)}]")


def spans(text: str, breaks: str) -> list[tuple[int, int]]:
    """The non-blank pieces of `text` between top-level breaks."""
    edges = [-1, *top_level(text, breaks), len(text)]
    pieces = [(a + 1, b) for a, b in itertools.pairwise(edges)]
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def start_of(text: str, position: int, breaks: str) -> int:
    """Start of the piece holding `position`."""
    positions = top_level(text, breaks)
    index = bisect_left(positions, position)
    return positions[index - 1] + 1 if index else 0


def end_of(text: str, position: int, breaks: str) -> int:
    """End of the piece holding `position` (the next top-level break, or the end)."""
    positions = top_level(text, breaks)
    index = bisect_left(positions, position)
    return positions[index] if index < len(positions) else len(text)
