"""The "Others Also Read" monitor on made-up crawl stats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_monitor_checks import healthy_stats, run_suite, statuses

from newscrawl.others.outcomes import EARLIER_RUNS_FILLED, FIRST_RUN, outcome_key

NAME = "others-also-read/empty"


def lists(filled: int = 0, empty: int = 0, missing: int = 0, timeout: int = 0,
          **history: Any) -> dict[str, Any]:
    return healthy_stats(**{outcome_key("filled"): filled, outcome_key("empty"): empty,
                            outcome_key("missing"): missing, outcome_key("timeout"): timeout,
                            **history})


@pytest.mark.parametrize(("stats", "status"), [
    # Earlier runs filled lists; now most are empty or missing: the source moved.
    (lists(filled=5, empty=20, missing=10, **{EARLIER_RUNS_FILLED: 3}), "FAIL"),
    (lists(filled=30, empty=10, **{EARLIER_RUNS_FILLED: 3}), "OK"),
    # A first run where no list ever filled.
    (lists(empty=12, missing=3, **{FIRST_RUN: 1}), "FAIL"),
    (lists(filled=1, empty=30, **{FIRST_RUN: 1}), "OK"),
    # Runs before saw no list either: the site shows none, nothing to judge.
    (lists(empty=40, **{FIRST_RUN: 0, EARLIER_RUNS_FILLED: 0}), "SKIPPED"),
    # Too few lists to judge; and a run that read no list (render=never).
    (lists(empty=3, **{EARLIER_RUNS_FILLED: 3}), "SKIPPED"),
    (healthy_stats(), "SKIPPED"),
])
def test_lists_gone_empty_degrade_the_run(tmp_path: Path, stats: dict[str, Any],
                                          status: str) -> None:
    report = run_suite(tmp_path, stats)
    assert statuses(report)[NAME] == status
    assert (NAME in [alarm.name for alarm in report.alarms]) == (status == "FAIL")
