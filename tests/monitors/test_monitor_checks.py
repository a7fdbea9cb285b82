"""The end-of-crawl suite on made-up crawl stats: what passes, what alarms, the saved verdict."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.settings import Settings
from spidermon import MonitorRunner

from newscrawl.data_layout import DataLayout
from newscrawl.monitors import tally
from newscrawl.monitors.suite import CrawlHealthMonitorSuite
from newscrawl.runs.manifest import RunManifest
from newscrawl.runs.monitor_report import MonitorReport
from newscrawl.spiders.stats import (
    ERRORS,
    FOUND,
    KNOWN_LISTED,
    LISTED,
    LISTING_LINKS,
    LISTING_PAGES,
    REQUESTS,
    RETRIES,
)

START = datetime(2025, 5, 23, 1, 0, tzinfo=UTC)


class FakeStats:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def healthy_stats(stories: int = 40, **changes: Any) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "start_time": START, "finish_reason": "finished", REQUESTS: stories + 6,
        LISTED: stories, FOUND: stories, LISTING_PAGES: 4, LISTING_LINKS: 40,
        tally.READ: stories, tally.STORIES: stories,
        tally.NEW: stories, tally.QUARANTINED: 2,
    }
    coverage = {"title": 1.0, "body": 1.0, "published_at": 1.0, "authors": 0.5, "agency": 0.6}
    for field, share in coverage.items():
        stats[tally.field_key(field)] = round(stories * share)
    stats.update(changes)
    return stats


def run_suite(tmp_path: Path, stats: dict[str, Any], **settings: Any) -> MonitorReport:
    results = tmp_path / "monitors.json"
    crawler = SimpleNamespace(
        settings=Settings({"NEWSCRAWL_DATA_DIR": str(tmp_path),
                           "NEWSCRAWL_MONITOR_RESULTS": str(results), **settings}),
        stats=FakeStats(stats),
    )
    MonitorRunner().run(CrawlHealthMonitorSuite(crawler=crawler), stats=stats, crawler=crawler,
                        spider=None, job=None, stats_history=[])
    report = MonitorReport.read(results)
    assert report is not None
    return report


def statuses(report: MonitorReport) -> dict[str, str]:
    return {outcome.name: outcome.status for outcome in report.outcomes}


def test_a_healthy_crawl_passes(tmp_path: Path) -> None:
    report = run_suite(tmp_path, healthy_stats())
    assert report.passed
    assert report.started_at == START.isoformat()
    found = statuses(report)
    assert found["field-coverage/title"] == "OK"
    assert found["extraction/fallback-share"] == "OK"
    # No history yet: drift is skipped, and skipping is not an alarm.
    assert found["drift/links-per-listing-page"] == "SKIPPED"


def test_layout_change_alarms_on_fallback_share(tmp_path: Path) -> None:
    report = run_suite(tmp_path, healthy_stats(**{tally.FALLBACK: 40}))
    assert [alarm.name for alarm in report.alarms] == ["extraction/fallback-share"]
    assert "40 of 40" in (report.alarms[0].reason or "")


def test_a_run_that_published_nothing_still_judges_the_parser(tmp_path: Path) -> None:
    # Every story unchanged since the last run, but all read by the fallback extractor.
    stats = healthy_stats(**{tally.STORIES: 0, tally.NEW: 0, tally.FALLBACK: 40})
    assert [alarm.name for alarm in run_suite(tmp_path, stats).alarms] == [
        "extraction/fallback-share"
    ]


@pytest.mark.parametrize(("changes", "alarm"), [
    ({"finish_reason": "closespider_timeout"}, "finish-reason/finished"),
    ({tally.field_key("title"): 39}, "field-coverage/title"),
    ({tally.field_key("published_at"): 0}, "field-coverage/published_at"),
    ({tally.field_key("authors"): 2}, "field-coverage/authors"),
    ({tally.field_key("agency"): 1}, "field-coverage/agency"),
    ({ERRORS: 10}, "errors/error-rate"),
    ({RETRIES: 30}, "errors/retry-rate"),
    ({FOUND: 10}, "listing/stories-found"),
    ({LISTED: 0}, "listing/stories-found"),
    ({tally.BOILERPLATE: 1}, "extraction/boilerplate"),
])
def test_each_check_alarms_by_name(tmp_path: Path, changes: dict[str, Any], alarm: str) -> None:
    report = run_suite(tmp_path, healthy_stats(**changes))
    assert [outcome.name for outcome in report.alarms] == [alarm]


def test_missing_stats_fail_rather_than_skip(tmp_path: Path) -> None:
    report = run_suite(tmp_path, {"start_time": START, "finish_reason": "finished"})
    alarms = {outcome.name for outcome in report.alarms}
    assert {"errors/error-rate", "errors/retry-rate", "listing/stories-found"} <= alarms


def test_an_incremental_run_that_listed_only_known_stories_passes(tmp_path: Path) -> None:
    stats = healthy_stats(stories=0, **{KNOWN_LISTED: 10, REQUESTS: 3})
    report = run_suite(tmp_path, stats)
    assert statuses(report)["listing/stories-found"] == "SKIPPED"
    assert report.passed


def test_thresholds_come_from_settings(tmp_path: Path) -> None:
    stats = healthy_stats(**{tally.FALLBACK: 4})  # 10 %
    assert [a.name for a in run_suite(tmp_path, stats).alarms] == ["extraction/fallback-share"]
    assert not run_suite(tmp_path, stats, NEWSCRAWL_MAX_FALLBACK_SHARE=0.2).alarms


def test_small_runs_do_not_judge_byline_coverage(tmp_path: Path) -> None:
    report = run_suite(tmp_path, healthy_stats(stories=3, **{tally.field_key("authors"): 0}))
    assert statuses(report)["field-coverage/authors"] == "SKIPPED"
    assert report.passed


def write_history(tmp_path: Path, listed: list[int], authors: float = 0.5) -> None:
    """Past runs that each read four listing pages showing ``listed`` story links in all."""
    for day, count in enumerate(listed, start=1):
        run_id = f"202505{day:02d}T000000Z"
        counts = {"listing_pages": 4, "listing_links": count, "listed": count, "read": 40}
        RunManifest(run_id, None, None, "finished", counts=counts,
                    coverage={"authors": authors, "agency": 0.6}).write(
            DataLayout(tmp_path).manifest(run_id))


def test_drift_alarms_when_the_listing_shrinks(tmp_path: Path) -> None:
    write_history(tmp_path, [40, 42, 41])
    assert statuses(run_suite(tmp_path, healthy_stats()))["drift/links-per-listing-page"] == "OK"
    shrunk = run_suite(tmp_path, healthy_stats(**{LISTING_LINKS: 12}))
    assert [alarm.name for alarm in shrunk.alarms] == ["drift/links-per-listing-page"]


def test_drift_alarms_when_byline_coverage_collapses(tmp_path: Path) -> None:
    write_history(tmp_path, [40, 40, 40], authors=0.8)
    report = run_suite(tmp_path, healthy_stats(**{tally.field_key("authors"): 12}))  # 30 %
    assert [alarm.name for alarm in report.alarms] == ["drift/authors-coverage"]


def test_drift_ignores_runs_that_did_not_finish(tmp_path: Path) -> None:
    write_history(tmp_path, [40, 40])
    counts = {"listing_pages": 4, "listing_links": 400}
    RunManifest("20250509T000000Z", None, None, "shutdown", counts=counts).write(
        DataLayout(tmp_path).manifest("20250509T000000Z"))
    report = run_suite(tmp_path, healthy_stats())
    assert statuses(report)["drift/links-per-listing-page"] == "SKIPPED"
