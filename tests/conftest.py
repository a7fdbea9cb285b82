"""Shared fixtures: a running replica of the site (see newscrawl/replica) for any test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawl.replica import FaultPlan, ReplicaServer, Site, load_site, synthetic_site

ReplicaFactory = Callable[..., ReplicaServer]


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """The replica over the project's fixtures/site, on a free port, for the whole session."""
    with ReplicaServer(load_site()) as server:
        yield server


@pytest.fixture
def replica_factory() -> Iterator[ReplicaFactory]:
    """Start replicas with a custom data dir, synthetic size or fault plan; all stop at teardown.

    ``start(data_dir=None, *, site=None, articles=None, seed=1, faults=None)``: ``faults`` is a
    ``FaultPlan`` or a list of ``--fault`` specs such as ``["error=0.2"]``.
    """
    servers: list[ReplicaServer] = []

    def start(data_dir: Path | str | None = None, *, site: Site | None = None,
              articles: int | None = None, seed: int = 1,
              faults: FaultPlan | list[str] | None = None) -> ReplicaServer:
        if site is None:
            site = synthetic_site(articles, seed) if articles is not None else load_site(data_dir)
        plan = FaultPlan.parse(faults) if isinstance(faults, list) else faults
        server = ReplicaServer(site, plan).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# Chromium for the tests that look at pages (the replica's look, the run report). Chromium's own
# lookups (Google hosts) are refused so that a test sees every request a page makes.
CHROMIUM_ARGS = ["--disable-gpu", "--disable-dev-shm-usage",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium driven by Playwright; the test is skipped when none is installed."""
    from newscrawl.browser import find_browser

    executable = find_browser()
    if executable is None:
        pytest.skip("no Chromium found (newscrawl.browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
