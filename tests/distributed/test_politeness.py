"""One politeness budget for all workers: the shared delay and concurrency per domain hold for
the crawl as a whole, measured from what the workers did (never an upper bound on time)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from redis_server import RedisServer
from workers import Crawl

from newscrawl.distributed.rate_limit import _RESERVE
from newscrawl.distributed.scheduler import HELD_FOR_SLOT
from newscrawl.replica import ReplicaServer, synthetic_site

pytestmark = pytest.mark.e2e

DELAY = 0.1
CONCURRENCY = 2


def test_three_workers_share_one_delay_and_one_concurrency(
        tmp_path: Path, redis_server: RedisServer) -> None:
    with ReplicaServer(synthetic_site(60, 7)) as replica:
        crawl = Crawl(tmp_path, replica.origin, redis_server.url, "polite", settings=(
            f"NEWSCRAWL_REDIS_DELAY={DELAY}", f"NEWSCRAWL_REDIS_CONCURRENCY={CONCURRENCY}"))
        crawl.wait_all([crawl.start(f"w{k}") for k in (1, 2, 3)])
        served = sum(replica.requests().values())
    stats = crawl.stats()
    downloads = sum(s.get("downloader/request_count", 0) for s in stats)
    # A worker pops no request while one it popped waits for the budget, so the budget goes
    # round the workers (a worker that started late on a loaded machine may find little left).
    assert sum(1 for s in stats if s.get("downloader/request_count", 0) > 5) >= 2, \
        "one worker leased every request while the budget let them go one at a time"
    base = "newscrawl:rate:127.0.0.1"
    client = redis_server.client()
    starts = [int(v) for v in client.lrange(f"{base}:starts", 0, -1)]
    sent = [tuple(int(x) for x in v.split()) for v in client.lrange(f"{base}:sent", 0, -1)]
    # Every request of every worker went through the one budget.
    assert len(starts) == len(sent) == downloads == served
    gaps = [b - a for a, b in pairwise(starts)]
    assert min(gaps) >= DELAY * 1000
    assert int(client.hget(f"{base}:state", "peak") or 0) <= CONCURRENCY
    # Measured on the workers' clocks: never more than CONCURRENCY requests out at once, and
    # the requests took at least the delay between each (a lower bound on the time taken).
    events = sorted([(t0, 1) for t0, _ in sent] + [(t1, -1) for _, t1 in sent])
    flying = peak = 0
    for _, step in events:
        flying += step
        peak = max(peak, flying)
    assert peak <= CONCURRENCY
    first, last = min(t0 for t0, _ in sent), max(t0 for t0, _ in sent)
    assert last - first >= (len(sent) - 2) * DELAY * 1000


def test_a_reservation_retried_after_its_reply_was_lost_is_made_once(
        redis_server: RedisServer) -> None:
    # Redis ran the reservation and stopped before replying; redis-py sends it again.
    reserve = redis_server.client().register_script(_RESERVE)
    keys = ["t:flying", "t:state", "t:starts"]

    def ask(token: str) -> int:
        return int(reserve(keys=keys, args=[token, 1000, CONCURRENCY, 60_000, 100]))

    assert ask("a") == 0
    assert ask("b") > 0  # a second request waits for the delay
    assert 0 <= ask("b") <= 1000  # the retry: the same reservation, not a third
    client = redis_server.client()
    assert int(client.hget("t:state", "granted") or 0) == 2
    assert client.llen("t:starts") == 2


def test_a_reservation_releases_the_slots_its_worker_freed_first(
        redis_server: RedisServer) -> None:
    # One slot: taken by "a", so "b" finds the domain full until a reservation carries the
    # release of "a" (the slot a worker freed since its last reservation).
    reserve = redis_server.client().register_script(_RESERVE)
    keys = ["t:flying", "t:state", "t:starts", "t:sent"]

    def ask(token: str, *freed: str) -> int:
        return int(reserve(keys=keys, args=[token, 0, 1, 60_000, 100, *freed]))

    assert ask("a") == 0
    assert ask("b") == -1
    assert ask("b", "a", "1000 1200") == 0
    client = redis_server.client()
    assert client.zrange("t:flying", 0, -1) == [b"b"]
    assert client.lrange("t:sent", 0, -1) == [b"1000 1200"]


def test_a_worker_leases_no_more_requests_than_its_download_slot_sends(
        tmp_path: Path, redis_server: RedisServer) -> None:
    # A wide budget and a narrow slot. A worker used to pop up to CONCURRENT_REQUESTS requests,
    # reserve the budget for each and queue them in its download slot, first in first out: the
    # next listing page waited there behind the story pages popped before it, out of the other
    # workers' reach. Now the rest wait in Redis, in the frontier's order.
    per_domain = 2
    with ReplicaServer(synthetic_site(60, 7), delay=0.05) as replica:
        crawl = Crawl(tmp_path, replica.origin, redis_server.url, "slots", settings=(
            "NEWSCRAWL_REDIS_CONCURRENCY=64", f"CONCURRENT_REQUESTS_PER_DOMAIN={per_domain}"))
        crawl.wait_all([crawl.start("w1")])
    [stats] = crawl.stats()
    assert stats.get("item_scraped_count", 0) > 0, "the worker published nothing"
    assert stats.get(HELD_FOR_SLOT, 0) > 0
    peak = int(redis_server.client().hget("newscrawl:rate:127.0.0.1:state", "peak") or 0)
    # The site's pages and the lists' requests (a slot of their own, the same budget).
    assert per_domain <= peak <= 2 * per_domain + 1, peak
