"""Run names and artifact keys as a coordinator reads them in the Prefect UI."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from duban.flows.naming import period_label, rollup_key

# 1 May 2022, 01:00 UTC: 09:00 in Shanghai; 30 April 20:00 UTC is already 1 May there
MAY = datetime(2022, 5, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("per_year", "label"),
    [(1, "2022Q2"), (4, "2022Q2"), (6, "2022-05"), (12, "2022-05"), (52, "2022-05-01")],
)
def test_a_run_is_named_by_a_period_as_fine_as_its_task_repeats(per_year: int, label: str) -> None:
    assert period_label(MAY, "Asia/Shanghai", per_year) == label


def test_the_period_is_the_plans_not_utcs() -> None:
    evening = datetime(2022, 3, 31, 20, tzinfo=UTC)  # 1 April 04:00 in Shanghai
    assert period_label(evening, "Asia/Shanghai") == "2022Q2"
    assert period_label(evening, "UTC") == "2022Q1"


def test_two_plans_rollups_never_share_an_artifact_key() -> None:
    assert rollup_key("edu-2022", "T-jj-biaozhunhua", "2022-06-30") == (
        "rollup-edu-2022-t-jj-biaozhunhua-2022-06-30"
    )
    assert rollup_key("edu-2023", "T-x", "2022Q2") != rollup_key("edu-2022", "T-x", "2022Q2")
