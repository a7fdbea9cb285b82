"""The browser starts with the engine (``browser_handler``), before the crawl's first page, so it
is ready by the first render; a browser that cannot start is said once, by the spider's warning.
The order is read from the crawl's own log lines, not from timings."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawling import CrawlResult, SiteTruth, run_crawl

from newscrawl.browser import find_browser
from newscrawl.replica import ReplicaServer

pytestmark = [pytest.mark.e2e]

# scrapy-playwright's lines (provider.py) as the browser launches, and Scrapy's for each page.
LAUNCHED = "Browser chromium launched"
LAUNCHING = "Launching browser chromium"
PAGE = "Crawled ("
# The spider's one warning, and browser_handler's own line for its early attempt.
DID_NOT_START = "the browser did not start"
EARLY_FAILED = "early browser launch failed"


def first(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines) if text in line)


@pytest.mark.browser
@pytest.mark.skipif(find_browser() is None, reason="no Chromium for Playwright on this machine")
def test_render_auto_has_the_browser_before_its_first_page(
        replica: ReplicaServer, tmp_path: Path, truth: SiteTruth) -> None:
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=["LOG_LEVEL=DEBUG"])
    assert result.returncode == 0, result.stderr[-3000:]
    assert truth.listed <= set(result.urls) <= truth.in_scope
    lines = result.stderr.splitlines()
    renders = [i for i, line in enumerate(lines) if PAGE in line and "playwright" in line]
    assert renders, "nothing was rendered"
    # Launched before any page was fetched, so before the first render was even asked for.
    assert first(lines, LAUNCHED) < first(lines, PAGE) < renders[0]
    assert result.stat("playwright/browser_count") == 1  # and that one browser served all


def test_render_never_launches_no_browser(never_crawl: CrawlResult) -> None:
    assert never_crawl.returncode == 0 and never_crawl.records
    assert LAUNCHING not in never_crawl.stderr
    assert never_crawl.stat("playwright/browser_count") == 0


def test_a_browser_that_cannot_start_is_tried_early_and_said_once(
        replica: ReplicaServer, tmp_path: Path, truth: SiteTruth) -> None:
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=["NEWSCRAWL_BROWSER_PATH=/bin/false"])
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(result.urls) == truth.listed
    lines = result.stderr.splitlines()
    early = [i for i, line in enumerate(lines) if EARLY_FAILED in line]
    said = [i for i, line in enumerate(lines) if DID_NOT_START in line]
    assert len(early) == 1, early
    assert len(said) == 1, [lines[i] for i in said]
    # The early attempt comes first, before any page, and is not worded as the warning.
    assert early[0] < first(lines, "listing ends at") and early[0] < said[0]
    assert "WARNING" in lines[said[0]] and "Others Also Read" in lines[said[0]]
    assert "WARNING" not in lines[early[0]]
    assert result.stat("playwright/browser_count") == 0
