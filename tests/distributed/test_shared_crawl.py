"""Workers crawling one replica together through a real Redis: every story published exactly
once, whatever happens to the workers or to Redis."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from crawling import SiteTruth
from redis_server import RedisServer
from workers import Crawl, published_twice

from newscrawl.distributed.config import FINISHED_TTL
from newscrawl.replica import ReplicaServer, synthetic_site

pytestmark = pytest.mark.e2e

WORKER_TIMEOUT = 400.0


def finish(processes: list[subprocess.Popen[str]], crawl: Crawl) -> None:
    crawl.wait_all(processes, WORKER_TIMEOUT)


def assert_published_once(crawl: Crawl, truth: SiteTruth) -> None:
    records = crawl.records()
    assert records, "the workers published nothing"
    assert published_twice(records) == {}
    assert {r["url"] for r in records} == truth.listed


def test_three_workers_publish_every_story_exactly_once(tmp_path: Path,
                                                        redis_server: RedisServer) -> None:
    site = synthetic_site(2000, 3)
    with ReplicaServer(site) as replica:
        crawl = Crawl(tmp_path, replica.origin, redis_server.url, "run1")
        finish([crawl.start(f"w{k}") for k in (1, 2, 3)], crawl)
    assert_published_once(crawl, SiteTruth.of(site))
    stats = crawl.stats()
    # Each worker did a share of the work, and nobody fetched a page another one fetched.
    assert all(s.get("item_scraped_count", 0) > 0 for s in stats), "a worker idled"
    # (robots.txt is fetched by each worker outside the scheduler)
    assert sum(s["scheduler/dequeued/redis"] for s in stats) == sum(
        s["downloader/response_count"] - s["robotstxt/request_count"] for s in stats)
    # The finished run's frontier is gone, but for the mark that says it finished (a late
    # worker leaves at once); the state (another prefix) stays.
    client = redis_server.client()
    assert client.keys("newscrawl:run:run1:*") == [b"newscrawl:run:run1:finished"]
    assert 0 < client.ttl("newscrawl:run:run1:finished") <= FINISHED_TTL
    assert client.hlen("newscrawl:state:published") == len(SiteTruth.of(site).listed)


def leases_by_pid(client: redis.Redis, crawl_id: str) -> dict[int, int]:
    """pid -> leases held, for every worker of the crawl holding some (names: NAME.PID.TAG)."""
    held: dict[int, int] = {}
    for key in client.scan_iter(match=f"newscrawl:run:{crawl_id}:leases:*"):
        pid = int(key.decode().rsplit(":", 1)[1].split(".")[1])
        held[pid] = int(client.hlen(key))
    return {pid: n for pid, n in held.items() if n}


def test_workers_killed_at_random_moments_lose_nothing_and_publish_nothing_twice(
        tmp_path: Path, redis_server: RedisServer) -> None:
    site = synthetic_site(250, 4)
    rng = random.Random(13)
    client = redis_server.client()
    lost_leases = 0
    with ReplicaServer(site) as replica:
        crawl = Crawl(tmp_path, replica.origin, redis_server.url, "kills")
        running = {f"w{k}": crawl.start(f"w{k}") for k in (1, 2, 3)}
        kills = 0
        while kills < 10:
            # Wait for a worker holding leases: a kill before a worker starts proves nothing.
            deadline = time.monotonic() + WORKER_TIMEOUT
            while True:
                holding = leases_by_pid(client, "kills")
                candidates = sorted(name for name, p in running.items()
                                    if p.poll() is None and p.pid in holding)
                if candidates:
                    break
                assert any(p.poll() is None for p in running.values()), \
                    f"the crawl finished after {kills} kills"
                assert time.monotonic() < deadline, "no worker holds leases"
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 1.0))  # the seeded random moment
            victim = running[rng.choice(candidates)]
            if victim.poll() is not None:
                continue
            lost_leases += leases_by_pid(client, "kills").get(victim.pid, 0)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            kills += 1
            running[f"r{kills}"] = crawl.start(f"r{kills}")
        survivors = [p for p in running.values() if p.returncode is None]
        finish(survivors, crawl)
    killed = sum(1 for p in running.values() if p.returncode == -signal.SIGKILL)
    assert killed == 10
    assert lost_leases > 0
    assert_published_once(crawl, SiteTruth.of(site))


def test_a_redis_restart_pauses_the_crawl_and_loses_nothing(tmp_path: Path) -> None:
    site = synthetic_site(300, 5)
    with RedisServer(tmp_path / "redis", persistent=True) as server, \
            ReplicaServer(site) as replica:
        crawl = Crawl(tmp_path, replica.origin, server.url, "restart",
                      settings=("NEWSCRAWL_REDIS_LEASE_TTL=15",))
        processes = [crawl.start(f"w{k}") for k in (1, 2)]
        client = server.client()
        deadline = time.monotonic() + WORKER_TIMEOUT
        while client.scard("newscrawl:run:restart:dupefilter") < 60:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        server.stop()
        time.sleep(2.0)  # workers wait it out (NEWSCRAWL_REDIS_OUTAGE_TIMEOUT, 60 s)
        server.start()
        finish(processes, crawl)
    assert_published_once(crawl, SiteTruth.of(site))


def test_a_lost_redis_fails_the_worker_clearly(tmp_path: Path) -> None:
    site = synthetic_site(300, 5)
    with RedisServer(tmp_path / "redis") as server, ReplicaServer(site) as replica:
        crawl = Crawl(tmp_path, replica.origin, server.url, "lost",
                      settings=("NEWSCRAWL_REDIS_OUTAGE_TIMEOUT=1",
                                f"NEWSCRAWL_STATE={server.url}?outage=1"))
        process = crawl.start("w1")
        client = server.client()
        deadline = time.monotonic() + WORKER_TIMEOUT
        while client.scard("newscrawl:run:lost:dupefilter") < 30:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        server.stop()
        process.wait(timeout=WORKER_TIMEOUT)
    log = crawl.log("w1")
    assert "Redis unreachable" in log
    stats = crawl.stats()[0]
    assert stats["finish_reason"] == "redis_unavailable"
