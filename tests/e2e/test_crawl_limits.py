"""max_articles, max_pages and since bound the crawl (render=never: no browser needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from crawling import SiteTruth, run_crawl

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.e2e


def test_max_articles_caps_the_story_requests(replica: ReplicaServer, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never",
                                  "max_articles": "5"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert 0 < len(result.records) <= 5
    assert sum(result.stats_under("newscrawl/discovered/").values()) == 5
    assert result.stat("newscrawl/links/capped") > 0


def test_max_pages_stops_the_listing(replica: ReplicaServer, tmp_path: Path,
                                     truth: SiteTruth) -> None:
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never",
                                  "max_pages": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.records
    assert result.stat("newscrawl/listing_pages") == 1
    assert result.stat("newscrawl/listing_stop") == "max_pages=1"
    assert set(result.urls) < truth.listed


def test_since_skips_older_stories(replica: ReplicaServer, tmp_path: Path,
                                   truth: SiteTruth) -> None:
    days = sorted(a.published.date() for a in replica.site.articles if a.url in truth.listed)
    since: date = days[len(days) // 2]
    expected = {a.url for a in replica.site.articles
                if a.url in truth.listed and a.published.date() >= since}
    assert 0 < len(expected) < len(truth.listed)
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never",
                                  "since": since.isoformat()})
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.urls) == expected
    assert all(r["published_at"][:10] >= since.isoformat() for r in result.records)
