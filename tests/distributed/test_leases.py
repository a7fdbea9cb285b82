"""Leases, heartbeats and finishing together, on a real Redis, without a crawl."""

from __future__ import annotations

import time

from redis_server import RedisServer

from newscrawl.distributed.config import RunKeys
from newscrawl.distributed.lease import Heartbeat, LeaseBook
from newscrawl.redis_connection import open_redis

KEYS = RunKeys("newscrawl:run:test")


def books(server: RedisServer, *workers: str) -> list[LeaseBook]:
    client = open_redis(server.url, 1)
    return [LeaseBook(client, KEYS, worker) for worker in workers]


def queue(server: RedisServer, *items: tuple[float, bytes]) -> None:
    client = server.client()
    for score, data in items:
        client.zadd(KEYS.requests, {data: score})


def test_a_popped_request_is_leased_not_gone(redis_server: RedisServer) -> None:
    (book,) = books(redis_server, "a")
    book.register(ttl=30)
    queue(redis_server, (0, b"low"), (-5, b"high"))
    lease, data = book.pop() or (0, b"")
    assert data == b"high"  # priority order, as scrapy-redis's PriorityQueue
    assert redis_server.client().hget(KEYS.leases("a"), lease) == b"-5|high"
    assert book.held() == 1
    assert redis_server.client().zcard(KEYS.requests) == 1


def test_a_dead_workers_leases_go_back_to_the_queue(redis_server: RedisServer) -> None:
    alive, dead = books(redis_server, "alive", "dead")
    alive.register(ttl=30)
    dead.register(ttl=0.2)
    queue(redis_server, (-1, b"one"), (0, b"two|with|bars"))
    assert dead.pop() and dead.pop()
    assert alive.look(idle=True).busy_workers == 1  # dead is not known dead yet
    time.sleep(0.3)  # its heartbeat lapses
    look = alive.look(idle=True)
    assert (look.requeued, look.dead_workers) == (2, 1)
    assert not look.quiet
    client = redis_server.client()
    assert client.zrange(KEYS.requests, 0, -1, withscores=True) == [
        (b"one", -1.0), (b"two|with|bars", 0.0)]
    assert not client.exists(KEYS.leases("dead"))


def test_the_crawl_is_quiet_only_when_the_queue_and_every_worker_are(
        redis_server: RedisServer) -> None:
    first, second = books(redis_server, "first", "second")
    first.register(ttl=30)
    second.register(ttl=30)
    assert not first.look(idle=True).quiet  # second has not been idle yet
    queue(redis_server, (0, b"page"))
    assert not first.look(idle=True).quiet  # one request queued
    assert second.pop()
    look = first.look(idle=True)
    assert (look.queued, look.busy_workers) == (0, 1)  # second holds work
    second.look(idle=True)
    assert first.look(idle=True).quiet


def test_leaving_releases_the_leases_after_publishing(redis_server: RedisServer) -> None:
    first, second = books(redis_server, "first", "second")
    first.register(ttl=30)
    second.register(ttl=30)
    queue(redis_server, (0, b"page"))
    assert first.pop()
    departure = first.leave()
    assert (departure.released, departure.workers_left, departure.queued) == (1, 1, 0)
    assert redis_server.client().hkeys(KEYS.workers) == [b"second"]


def test_the_heartbeat_thread_keeps_a_busy_worker_alive(redis_server: RedisServer) -> None:
    worker, other = books(redis_server, "worker", "other")
    worker.register(ttl=1.0)
    other.register(ttl=30)
    queue(redis_server, (0, b"page"))
    assert worker.pop()
    # Never the default on_lapse here: it ends the process, and this process is pytest.
    lapsed: list[bool] = []
    beat = Heartbeat(worker.server, worker, ttl=1.0, on_lapse=lambda: lapsed.append(True))
    beat.start()
    try:
        time.sleep(3.0)  # three TTLs: only the heartbeat keeps it alive
        assert other.look(idle=True).requeued == 0
    finally:
        beat.stop()
        beat.join()
    assert lapsed == []
    time.sleep(1.5)
    assert other.look(idle=True).requeued == 1


def test_a_worker_whose_heartbeat_lapsed_is_told_to_stop(redis_server: RedisServer) -> None:
    # Stalled past the TTL, its leases may be another worker's now: it must not publish.
    (worker,) = books(redis_server, "stalled")
    worker.register(ttl=0.3)
    lapsed: list[bool] = []
    time.sleep(0.4)  # the stall
    beat = Heartbeat(worker.server, worker, ttl=0.3, on_lapse=lambda: lapsed.append(True))
    beat.start()
    beat.join(timeout=5)
    assert lapsed == [True]


def test_a_pop_retried_after_its_reply_was_lost_leases_one_request(
        redis_server: RedisServer) -> None:
    # Redis stopped after running the pop and before replying: redis-py sends it again. The
    # second call must find the first one's lease, not lease another request that this worker
    # would never see (and drop from Redis when it leaves: a story lost).
    (book,) = books(redis_server, "w")
    book.register(ttl=30)
    queue(redis_server, (-1, b"first"), (0, b"second"))
    assert book.lease(7) == (7, b"first")
    assert book.lease(7) == (7, b"first")  # the retry
    assert book.held() == 1
    assert redis_server.client().zrange(KEYS.requests, 0, -1) == [b"second"]
    assert book.pop() == (1, b"second")
    assert book.held() == 2
