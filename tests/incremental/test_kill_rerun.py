"""A run killed with SIGKILL, then run again: the union of the published feeds holds every
story exactly once, wherever the kill landed."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from crawling import CrawlResult, SiteTruth, kill_crawl, run_crawl, start_crawl

from newscrawl.replica import FaultPlan, ReplicaServer
from newscrawl.settings import EXTENSIONS
from newscrawl.state.sqlite_store import SqliteStateStore

pytestmark = pytest.mark.e2e
ReplicaFactory = Callable[..., ReplicaServer]
HERE = Path(__file__).resolve().parent
KILLER = "kill_after_feed.KillAfterStoryFeed"


def published(workdir: Path) -> list[dict[str, Any]]:
    """Every record of every published run feed (part files of a killed run are not)."""
    return [json.loads(line) for path in sorted((workdir / "data" / "runs").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line]


def crawl(workdir: Path, server: ReplicaServer, run_id: str, *settings: str) -> CrawlResult:
    return run_crawl(workdir, {"base_url": server.origin, "render": "never"}, run_id=run_id,
                     user_feed=False, settings=settings)


def wait_for_story_requests(server: ReplicaServer, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while sum(1 for path in server.requests() if path.count("/") > 3) < count:
        assert time.monotonic() < deadline, "the crawl requested no stories"
        time.sleep(0.05)


def assert_every_story_once(records: list[dict[str, Any]], truth: SiteTruth) -> None:
    counts = Counter(r["url"] for r in records)
    assert {url for url, n in counts.items() if n > 1} == set()
    assert set(counts) == truth.listed
    assert {r["version"] for r in records} == {1}


def test_killed_mid_crawl(replica_factory: ReplicaFactory, tmp_path: Path) -> None:
    server = replica_factory(faults=["slow=1:2"])  # every story takes 2 s: the kill lands mid-way
    process = start_crawl(tmp_path, {"base_url": server.origin, "render": "never"},
                          run_id="run1", user_feed=False)
    try:
        wait_for_story_requests(server, 5)
    finally:
        kill_crawl(process)
    assert not (tmp_path / "data" / "runs" / "run1.jsonl").exists()

    server.faults = FaultPlan()
    again = crawl(tmp_path, server, "run2")
    assert again.returncode == 0, again.stderr[-2000:]
    assert_every_story_once(published(tmp_path), SiteTruth.of(server.site))


def test_killed_between_publishing_the_feed_and_committing_it(
        replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    truth = SiteTruth.of(replica.site)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [
        str(HERE), os.environ.get("PYTHONPATH")])))
    extensions = json.dumps({**EXTENSIONS, KILLER: 50})
    killed = crawl(tmp_path, replica, "run1", f"EXTENSIONS={extensions}")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert {r["url"] for r in killed.records} == truth.listed  # published whole
    store = SqliteStateStore(tmp_path / "state.sqlite")
    assert (store.stats().stories, store.unfinished_runs()) == (0, ["run1"])  # not committed
    store.close()

    again = crawl(tmp_path, replica, "run2")
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stat("newscrawl/state/recovered") == len(killed.records)
    assert again.records == []  # committed from run1's feed, not emitted twice
    assert_every_story_once(published(tmp_path), truth)
    # No run was successful yet, so the whole listing was walked; only the bad pages and the
    # galleries, which are never stored, were fetched again.
    assert again.stat("newscrawl/listing_stop") == "no next page"
    assert again.stat("newscrawl/discovered/listing") == len(truth.bad) + len(truth.galleries)
