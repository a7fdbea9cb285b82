"""Transport faults: every story page is a record, a counted failure, or a counted bad page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from crawling import SiteTruth, run_crawl

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.e2e


def test_redirects_off_host_and_oversized_pages_are_counted(
        replica_factory: Callable[..., ReplicaServer], tmp_path: Path, truth: SiteTruth) -> None:
    replica = replica_factory(faults=["redirect=0.15", "oversize=0.1:6", "error=0.1"])
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.records
    assert max(Counter(result.urls).values()) == 1
    assert set(result.urls) < truth.listed
    failed = result.stats_under("newscrawl/fetch_failed/")
    assert failed.get("offhost-redirect", 0) > 0
    assert failed.get("oversize", 0) > 0
    assert result.stat("offsite/filtered") == 0  # stopped before Scrapy's silent filter
    bad = sum(result.stats_under("newscrawl/bad_page/").values())
    requested = sum(result.stats_under("newscrawl/discovered/").values())
    assert requested == len(truth.listed) + len(truth.bad) + len(truth.galleries)
    skipped = result.stat("newscrawl/skipped/gallery")
    # A long story whose continuation failed is a bad page (body-incomplete), never a record.
    assert len(result.records) + bad + failed.get("story", 0) + skipped == requested
