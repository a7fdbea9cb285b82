"""Shared fixtures: a running replica of the site (see newscrawl/replica) for any test, and
the isolation every test gets from the machine it runs on."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawl.replica import FaultPlan, ReplicaServer, Site, load_site, synthetic_site

ReplicaFactory = Callable[..., ReplicaServer]


def pytest_configure(config: pytest.Config) -> None:
    """``newscrawl.settings`` reads NEWSCRAWL_STATE and NEWSCRAWL_DATA_DIR from the environment
    once, when first imported: imported here, with no ``NEWSCRAWL_*`` set, its values are the
    defaults, not the shell's nor those of whichever test happened to import it first."""
    for name in [name for name in os.environ if name.startswith("NEWSCRAWL_")]:
        del os.environ[name]
    importlib.import_module("newscrawl.settings")


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No ``NEWSCRAWL_*`` of the developer's shell; the data directory (and so the state) and
    the working directory are ``home``'s, so nothing a demo, an earlier run or the developer
    left in ``data/aseanplus`` is read, and nothing is written there. Subprocesses inherit it.
    """
    for name in [name for name in os.environ if name.startswith("NEWSCRAWL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSCRAWL_DATA_DIR", str(home / "data"))
    monkeypatch.chdir(home)


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """For session fixtures (shared crawls, the replica): set up before any of them."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate(monkeypatch, tmp_path_factory.mktemp("session-home"))
        yield


@pytest.fixture(autouse=True)
def isolated_test(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test: its own data directory, state and working directory (not ``tmp_path``,
    which tests list and compare whole)."""
    _isolate(monkeypatch, tmp_path_factory.mktemp("home"))


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
