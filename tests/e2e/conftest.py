"""End-to-end fixtures: the replica's truth, and crawls of it that several tests share."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawling import CrawlResult, SiteTruth, run_crawl

from newscrawl.browser import find_browser
from newscrawl.replica import ReplicaServer


@pytest.fixture(scope="session")
def truth(replica: ReplicaServer) -> SiteTruth:
    return SiteTruth.of(replica.site)


@pytest.fixture(scope="session")
def never_crawl(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """The whole replica with render=never (no browser)."""
    workdir: Path = tmp_path_factory.mktemp("never")
    return run_crawl(workdir, {"base_url": replica.origin, "render": "never"})


@pytest.fixture(scope="session")
def auto_crawl(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """The whole replica with render=auto, every story rendered (no learned list rule: the
    learning is tested in test_others_sources.py); skipped where no browser is installed."""
    if find_browser() is None:
        pytest.skip("no Chromium for Playwright on this machine")
    workdir: Path = tmp_path_factory.mktemp("auto")
    return run_crawl(workdir, {"base_url": replica.origin, "render": "auto"},
                     settings=["NEWSCRAWL_OTHERS_LEARN=0"])
