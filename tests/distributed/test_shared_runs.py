"""Runs of several workers, one after the other, on one shared state: an incremental second run
fetches only what is new, a new run never inherits the last one's frontier, and the CLI starts
and supervises the workers (``newscrawl run --workers``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from crawling import SiteTruth
from redis_server import RedisServer
from site_edits import add_story, copy_site
from workers import REPO, Crawl, published_twice

from newscrawl.replica import ReplicaServer, load_site, synthetic_site
from newscrawl.state.redis_store import RedisStateStore
from newscrawl.state.store import PendingEntry
from newscrawl.urls import story_id

pytestmark = pytest.mark.e2e

NOW = "NEWSCRAWL_NOW=2026-02-22T12:00:00+08:00"
REVISIT_FROM = datetime.fromisoformat("2026-02-20T12:00:00+08:00")  # NEWSCRAWL_REVISIT_DAYS=2
NEW_TEXT = ["JAKARTA: Indonesia opened a new ferry route between Batam and Johor on Sunday, "
            "the transport ministry said, cutting the crossing to under an hour.",
            "The route adds six daily sailings and is expected to carry 4,000 passengers a "
            "week in its first year, officials said. - Reuters"]


def crawl_with(crawl: Crawl, workers: int) -> list[dict[str, object]]:
    crawl.wait_all([crawl.start(f"w{k}") for k in range(1, workers + 1)])
    return crawl.records()


def story_paths(requests: dict[str, int]) -> set[str]:
    return {path for path in requests if path.count("/") > 3}


def test_an_incremental_run_of_workers_fetches_only_what_is_new(
        tmp_path: Path, redis_server: RedisServer) -> None:
    site = copy_site(tmp_path / "site")
    with ReplicaServer(load_site(site)) as replica:
        first = crawl_with(Crawl(tmp_path, replica.origin, redis_server.url, "first",
                                 settings=(NOW,)), 2)
    assert first and published_twice(first) == {}
    new = add_story(site, "indonesia-opens-batam-johor-ferry-route",
                    "2026-02-22T08:10:00+08:00", "Indonesia opens Batam-Johor ferry route",
                    NEW_TEXT)
    with ReplicaServer(load_site(site)) as replica:
        second_crawl = Crawl(tmp_path, replica.origin, redis_server.url, "second",
                             settings=(NOW,))
        second = crawl_with(second_crawl, 2)
        requests = replica.requests()
        fetched = story_paths(requests)
    assert [urlsplit(str(r["url"])).path for r in second] == [new]
    # Besides the new story, only known stories inside the revisit window were fetched again,
    # and the bad pages the first run quarantined: they are pending stories, retried by the
    # next run as a single process retries them (tests/incremental, issue 9). Each once.
    # (Not the workers' summed newscrawl/revisit: each worker counts the links it meets, and
    # two workers may meet the same one, which the shared dupefilter lets one fetch.)
    revisited = {urlsplit(str(r["url"])).path for r in first
                 if datetime.fromisoformat(str(r["published_at"])) >= REVISIT_FROM}
    bad = {urlsplit(url).path for url in SiteTruth.of(load_site(site)).bad}
    assert revisited and bad
    assert fetched == {new} | revisited | bad
    assert all(n == 1 for path, n in requests.items() if path in fetched)
    assert sum(s.get("newscrawl/revisit", 0) for s in second_crawl.stats()) >= len(revisited)
    assert len(fetched) < len(first) / 2


def test_a_worker_that_starts_after_its_crawl_finished_crawls_nothing(
        tmp_path: Path, redis_server: RedisServer) -> None:
    # On a loaded machine (or another machine's timer) a worker may start after the others
    # finished the crawl and removed its frontier: it must not crawl it all again.
    with ReplicaServer(synthetic_site(40, 2)) as replica:
        crawl = Crawl(tmp_path, replica.origin, redis_server.url, "done", settings=(NOW,))
        first = crawl_with(crawl, 1)
        before = replica.requests()
        crawl.wait_all([crawl.start("late")])
        after = replica.requests()
    assert first and crawl.records() == first
    assert after == before  # not one request, robots.txt included
    assert "crawl done has finished already" in crawl.log("late")


def seed_pending(state_url: str, origin: str) -> None:
    """One story given up and one waiting out a long backoff: no worker fetches either. (Its
    page was quarantined: a page left over from an earlier run that failed to fetch would make
    the run degraded, which this test does not look at.)"""
    store = RedisStateStore.from_url(state_url)
    run, _ = store.begin_pending()
    urls = [f"{origin}/news/regional/2020/01/0{k}/a-story-nobody-could-fetch-{k}"
            for k in (1, 2)]
    store.save_pending([
        PendingEntry(story_id(urls[0]), urls[0], "listing", origin, "2020-01-01T00:00:00+00:00",
                     run, attempts=5, last_error="http-500", given_up="2020-01-09T00:00:00Z"),
        PendingEntry(story_id(urls[1]), urls[1], "listing", origin, "2020-01-01T00:00:00+00:00",
                     run, attempts=4, last_error="parse: no-body", due_run=run + 100,
                     quarantined=True),
    ], [])
    store.close()


def test_newscrawl_run_supervises_workers_and_joins_their_manifests(
        tmp_path: Path, redis_server: RedisServer) -> None:
    data = tmp_path / "data"
    with ReplicaServer(synthetic_site(150, 6)) as replica:
        seed_pending(redis_server.url, replica.origin)
        done = subprocess.run(
            [sys.executable, "-m", "newscrawl.cli", "run", "--workers", "2", "--redis",
             redis_server.url, "--data-dir", str(data), "--base-url", replica.origin,
             "--render", "never", "--max-run-time", "300",
             "-s", "NEWSCRAWL_NOW=2026-11-27T12:00:00+00:00"],
            cwd=REPO, capture_output=True, text=True, timeout=600,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    manifests = sorted((data / "runs").glob("*.manifest.json"))
    joined = [m for m in manifests if m.name.count("-") == 0]
    assert len(joined) == 1 and len(manifests) == 3
    document = json.loads(joined[0].read_text())
    assert [w["worker"] for w in document["workers"]] == ["w1", "w2"]
    assert document["verdict"]["label"] == "healthy"
    # Both workers report the two stories nobody fetched; the run counts each once.
    for worker in document["workers"]:
        counts = json.loads((data / "runs" / worker["manifest"]).read_text())["counts"]
        assert (counts["pending"], counts["given_up"]) == (1, 1)
    assert (document["counts"]["pending"], document["counts"]["given_up"]) == (1, 1)
    feeds = [data / "runs" / w["feed"] for w in document["workers"] if w["feed"]]
    records = [json.loads(line) for feed in feeds for line in feed.read_text().splitlines()]
    assert records and document["counts"]["stories"] == len(records)
    assert published_twice(records) == {}
    # The dataset is built from the workers' feeds as from any run's.
    dataset = (data / "dataset.jsonl").read_text().splitlines()
    assert len(dataset) == len(records)


def test_workers_without_redis_are_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "run", "--workers", "2", "--data-dir",
         str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "NEWSCRAWL_REDIS_URL"},
    )
    assert done.returncode == 1
    assert "--workers needs --redis" in done.stderr
