"""R4: a 429 with Retry-After pauses its host for at least the time asked (measured by the
middleware from the throttled response to the retry being sent), and every story still comes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from crawling import SiteTruth, run_crawl

from newscrawl.replica import ReplicaServer
from newscrawl.retry_after import SlotPauses, retry_after_seconds

RETRY_AFTER = 2  # seconds the replica's throttle fault asks for


@pytest.mark.e2e
def test_throttled_requests_wait_for_retry_after(
        replica_factory: Callable[..., ReplicaServer], tmp_path: Path,
        record_figure: Callable[[str, object], None]) -> None:
    replica = replica_factory(articles=40, faults=[f"throttle=0.15:{RETRY_AFTER}"])
    truth = SiteTruth.of(replica.site)
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never"})
    assert result.returncode == 0, result.stderr[-2000:]
    throttled = result.stat("newscrawl/retry_after/responses/429")
    waited = result.stat("newscrawl/retry_after/waited")
    assert throttled > 0 and waited > 0
    assert result.stat("newscrawl/retry_after/max_asked_s") == RETRY_AFTER
    # Lower bounds only: each retry went out no sooner than Retry-After after its 429.
    assert result.stat("newscrawl/retry_after/min_margin_s") >= 0
    assert result.stat("newscrawl/retry_after/median_wait_s") >= RETRY_AFTER
    assert set(result.urls) == set(truth.listed)
    record_figure("Retry-After responses", throttled)
    record_figure("Retry-After median wait s", result.stat("newscrawl/retry_after/median_wait_s"))
    record_figure("Retry-After asked s", RETRY_AFTER)


@pytest.mark.e2e
def test_a_retry_after_past_the_cap_waits_the_cap(
        replica_factory: Callable[..., ReplicaServer], tmp_path: Path) -> None:
    replica = replica_factory(articles=12, faults=["throttle=0.2:30"])
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never"},
                       settings=["NEWSCRAWL_RETRY_AFTER_MAX=1"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stat("newscrawl/retry_after/capped") > 0
    assert result.stat("newscrawl/retry_after/min_margin_s") >= 0  # waited at least the cap


def test_retry_after_values() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("5", now) == 5
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True),
                               now) == 90
    assert retry_after_seconds("Tue, 01 Dec 2026 11:00:00 GMT", now) == 0  # in the past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-3", now) is None


def test_a_pause_holds_its_host_only() -> None:
    pauses = SlotPauses()
    pauses.pause("127.0.0.1", until=105.0)
    assert pauses.remaining("127.0.0.1", now=100.0) == 5.0
    assert pauses.remaining("www.thestar.com.my", now=100.0) == 0.0  # other hosts go on
    pauses.pause("127.0.0.1", until=102.0)  # a shorter ask does not cut the pause
    assert pauses.remaining("127.0.0.1", now=101.0) == 4.0
    assert pauses.remaining("127.0.0.1", now=105.0) == 0.0
    assert not pauses
