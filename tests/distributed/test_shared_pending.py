"""Pending stories shared by the workers of a crawl: a story that failed on one worker is
retried by the next run of workers, whichever worker found it, and a story pending for one
worker and published by another is settled, not retried again, never given up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from crawling import SiteTruth
from redis_server import RedisServer
from workers import REPO, Crawl, published_twice

from newscrawl.replica import FaultPlan, ReplicaServer, synthetic_site
from newscrawl.state import pending, redis_pending
from newscrawl.state.redis_store import RedisStateStore
from newscrawl.state.store import PendingEntry

pytestmark = pytest.mark.e2e

# One try per run, so a fault is a failed story; and the run with faults stays healthy.
SETTINGS = ("RETRY_ENABLED=False", "NEWSCRAWL_MAX_NEW_PENDING=1000")


def run_workers(crawl: Crawl, workers: int = 2) -> list[dict[str, object]]:
    crawl.wait_all([crawl.start(f"w{k}") for k in range(1, workers + 1)])
    return crawl.records()


def pending_entries(server: RedisServer) -> dict[str, PendingEntry]:
    entries = redis_pending.all_entries(server.client(), lambda name: f"newscrawl:state:{name}")
    return {e.url: e for e in entries}


def total(crawl: Crawl, key: str) -> int:
    return sum(int(s.get(key, 0)) for s in crawl.stats())


def test_a_story_that_failed_on_a_worker_is_retried_by_the_next_run_of_workers(
        tmp_path: Path, redis_server: RedisServer) -> None:
    site = synthetic_site(60, 8)
    truth = SiteTruth.of(site)
    store = RedisStateStore.from_url(redis_server.url)
    with ReplicaServer(site, faults=FaultPlan.parse(["error=0.25"], seed=3)) as replica:
        first = Crawl(tmp_path, replica.origin, redis_server.url, "first", settings=SETTINGS)
        published = {r["url"] for r in run_workers(first)}
        failed = truth.listed - published
        assert published and failed, "the seed no longer fails any story"
        entries = pending_entries(redis_server)
        # Every failed story met is pending once, with the attempt of the worker that fetched
        # it and how the worker that found it found it (two workers, one entry). (A story
        # linked only from a failed one's page is met by the next run.)
        met = failed & set(entries)
        assert met
        assert {entries[url].attempts for url in met} == {1}
        assert all(entry.via for entry in entries.values())
        assert {entries[url].last_error for url in met} <= {"http-500", "parse: body-incomplete"}
        # Each worker reports what it fetched: together, every pending story once.
        assert total(first, pending.LEFT) == len(entries)
        shown = subprocess.run(
            [sys.executable, "-m", "newscrawl.cli", "state", "stats", "--state",
             redis_server.url], cwd=REPO, capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0, shown.stderr
        assert f"pending          {len(entries)} " in shown.stdout

        replica.faults = FaultPlan()
        second = Crawl(tmp_path, replica.origin, redis_server.url, "second",
                       settings=SETTINGS)
        records = run_workers(second)
    again = {r["url"] for r in records}
    assert failed <= again
    assert published_twice(first.records() + records) == {}
    # Every worker requested the due stories; one fetched each and counts it (retried, then
    # published), and for the others it is settled, neither left pending nor given up.
    assert total(second, pending.RETRIED) == len(entries)
    assert total(second, pending.PUBLISHED) == len(met)
    for stats in second.stats():
        assert stats.get(pending.LEFT_OLD, 0) == 0
        assert stats.get(pending.GAVE_UP, 0) == 0
    left = store.stats()
    assert (left.pending, left.given_up) == (0, ())
    # One pending run per crawl, not per worker: the next crawl is the third.
    assert store.begin_crawl_pending("second")[0] == 2
    assert store.begin_crawl_pending("third")[0] == 3
    store.close()
