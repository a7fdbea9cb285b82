"""The pending-stories checks on made-up crawl stats: a run that leaves stories behind says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_monitor_checks import healthy_stats, run_suite, statuses

from newscrawl.state import pending

QUIET = {pending.LEFT: 0, pending.LEFT_NEW: 0, pending.LEFT_OLD: 0, pending.GAVE_UP: 0}


def pending_alarms(tmp_path: Path, changes: dict[str, Any], **settings: Any) -> list[str]:
    report = run_suite(tmp_path, healthy_stats(**{**QUIET, **changes}), **settings)
    return [a.name for a in report.alarms if a.name.startswith("pending/")]


def test_nothing_left_pending_is_healthy(tmp_path: Path) -> None:
    report = run_suite(tmp_path, healthy_stats(**QUIET))
    assert report.passed
    assert statuses(report)["pending/carried-over"] == "OK"


def test_a_few_new_pending_stories_are_healthy_more_are_not(tmp_path: Path) -> None:
    few = {pending.LEFT: 10, pending.LEFT_NEW: 10}
    assert pending_alarms(tmp_path, few) == []
    assert pending_alarms(tmp_path, few, NEWSCRAWL_MAX_NEW_PENDING=9) == ["pending/new"]


@pytest.mark.parametrize(("changes", "alarm"), [
    ({pending.LEFT: 1, pending.LEFT_OLD: 1}, "pending/carried-over"),
    ({pending.GAVE_UP: 2, pending.GIVEN_UP: 2}, "pending/given-up"),
])
def test_stories_left_from_earlier_runs_or_given_up_alarm(
        tmp_path: Path, changes: dict[str, Any], alarm: str) -> None:
    assert pending_alarms(tmp_path, changes) == [alarm]


def test_quarantined_pages_left_pending_do_not_alarm(tmp_path: Path) -> None:
    assert pending_alarms(tmp_path, {pending.LEFT: 4, pending.QUARANTINED: 4}) == []


def test_a_spider_without_pending_stories_skips_the_checks(tmp_path: Path) -> None:
    report = run_suite(tmp_path, healthy_stats())
    assert statuses(report)["pending/new"] == "SKIPPED"
