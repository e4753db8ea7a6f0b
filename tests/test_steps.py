"""A waiting run takes forms until one is accepted — and gives up, visibly, after a bound."""

from __future__ import annotations

import pytest

from duban.tasks.work.steps import MAX_REFUSED, RefusedTooOften, take_input


def test_input_refused_every_time_ends_the_run_after_the_bound_each_wait_new() -> None:
    asked: list[int] = []

    def ask(attempt: int) -> dict[str, int]:
        asked.append(attempt)
        return {"attempt": attempt}

    with pytest.raises(RefusedTooOften, match=f"连续 {MAX_REFUSED} 次输入未被接受.*修正：办理"):
        take_input(ask, lambda data: "原因不能为空", what="期次 7 的审核", fix="办理")
    assert asked == list(range(MAX_REFUSED))  # never a wait asked before (its input comes back)


def test_the_first_input_taken_ends_the_waiting() -> None:
    asked: list[int] = []

    def ask(attempt: int) -> int:
        asked.append(attempt)
        return attempt

    taken = take_input(
        ask, lambda attempt: "" if attempt == 2 else "退办须写明原因", what="x", fix="y"
    )
    assert taken == 2 and asked == [0, 1, 2]
