"""How a run's manifest maps to the exit code of ``newscrawl run``."""

from __future__ import annotations

import pytest

from newscrawl.runs.exit_codes import ExitCode, judge
from newscrawl.runs.manifest import FeedFile, RunManifest
from newscrawl.runs.monitor_report import MonitorOutcome, MonitorReport

FEED = FeedFile("r.jsonl", 3, 100, "0" * 64)
PASSED = MonitorReport("t0", (MonitorOutcome("errors/error-rate", "OK"),
                              MonitorOutcome("drift/links-per-listing-page", "SKIPPED",
                                             "no history")))
ALARMED = MonitorReport("t0", (MonitorOutcome("errors/error-rate", "OK"),
                               MonitorOutcome("extraction/fallback-share", "FAIL", "40 of 40")))
CRASHED = MonitorReport("t0", (MonitorOutcome("listing/stories-found", "ERROR", "KeyError"),))


def manifest(reason: str = "finished", *, feed: FeedFile | None = FEED, stories: int = 3,
             monitors: MonitorReport | None = PASSED) -> RunManifest:
    return RunManifest("r", "t0", "t1", reason, counts={"stories": stories}, feed=feed,
                       monitors=monitors, code_version="test")


@pytest.mark.parametrize(("case", "killed", "expected"), [
    (manifest(), False, ExitCode.HEALTHY),
    (manifest(feed=None, stories=0), False, ExitCode.HEALTHY),  # nothing new to publish
    (manifest(monitors=ALARMED), False, ExitCode.DEGRADED),
    (manifest(monitors=CRASHED), False, ExitCode.DEGRADED),
    (manifest(monitors=None), False, ExitCode.DEGRADED),
    (manifest(), True, ExitCode.DEGRADED),
    (manifest("closespider_timeout", monitors=ALARMED), False, ExitCode.DEGRADED),
    (manifest("shutdown"), False, ExitCode.FAILED),
    (manifest("cancelled"), False, ExitCode.FAILED),
    (manifest(feed=None, stories=3), False, ExitCode.FAILED),
    (None, False, ExitCode.FAILED),
    (None, True, ExitCode.FAILED),
])
def test_exit_code(case: RunManifest | None, killed: bool, expected: ExitCode) -> None:
    assert judge(case, killed_after_deadline=killed).code == expected


def test_degraded_names_the_failing_monitor() -> None:
    verdict = judge(manifest(monitors=ALARMED), killed_after_deadline=False)
    assert verdict.reasons == ("monitor extraction/fallback-share: 40 of 40",)


def test_exit_code_values_are_the_documented_ones() -> None:
    assert [int(code) for code in ExitCode] == [0, 1, 2, 3]
    assert [code.name for code in ExitCode] == ["HEALTHY", "FAILED", "DEGRADED", "LOCKED"]
