"""Leases: a request a worker popped stays in Redis, in that worker's lease hash, until the
output of the page is published; a worker that dies stops its heartbeat and any other worker
moves its leases back to the queue.

Keys (see ``RunKeys``): the scrapy-redis priority queue (a sorted set), ``leases:<worker>`` (a
hash: lease id -> "<score>|<serialised request>"), ``alive:<worker>`` (a key that expires
``lease_ttl`` seconds after the last heartbeat) and ``workers`` (a hash: worker -> "1" idle,
"0" busy). Every change is one Lua script, so no state is half-written when a process dies.

A worker's leases are released together, after its feed is published and committed (see
``DistributedRunExtension``): until then the page's output exists only in that process. A
killed worker's pages are fetched again by the others: a cost, never a loss.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import redis

from newscrawl.distributed.config import RunKeys
from newscrawl.redis_connection import CountingRedis

logger = logging.getLogger(__name__)

# Pop the best request (lowest score = highest priority) into the worker's lease hash, under
# the lease id the caller chose. A call that redis-py retries because its reply was lost (Redis
# went down after running it) finds that lease and returns it: leasing a second request would
# leave the first one leased to a worker that never saw it, and gone when the worker leaves.
_POP: Final = """
local done = redis.call('HGET', KEYS[2], ARGV[2])
if done then
  return {ARGV[2], string.sub(done, string.find(done, '|', 1, true) + 1)}
end
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], ARGV[2], found[2] .. '|' .. found[1])
redis.call('HSET', KEYS[3], ARGV[1], '0')
return {ARGV[2], found[1]}
"""

# Move the leases of every registered worker whose heartbeat lapsed back to the queue; with
# ARGV[2] == '1' also mark the caller idle and say whether the crawl is quiet.
_REAP: Final = """
local prefix, me = ARGV[1], ARGV[3]
local queue, workers = KEYS[1], KEYS[2]
if ARGV[2] == '1' then redis.call('HSET', workers, me, '1') end
local requeued, busy, dead = 0, 0, 0
local flags = redis.call('HGETALL', workers)
for i = 1, #flags, 2 do
  local worker, flag = flags[i], flags[i + 1]
  if worker ~= me and redis.call('EXISTS', prefix .. ':alive:' .. worker) == 0 then
    local leases = prefix .. ':leases:' .. worker
    local held = redis.call('HVALS', leases)
    for _, value in ipairs(held) do
      local cut = string.find(value, '|', 1, true)
      redis.call('ZADD', queue, tonumber(string.sub(value, 1, cut - 1)),
                 string.sub(value, cut + 1))
    end
    requeued = requeued + #held
    dead = dead + 1
    redis.call('DEL', leases)
    redis.call('HDEL', workers, worker)
  elseif flag ~= '1' then
    busy = busy + 1
  end
end
return {redis.call('ZCARD', queue), busy, requeued, dead}
"""

# Extend this worker's life, only if it did not lapse: a worker whose key expired may have been
# declared dead and its leases given to others.
_BEAT: Final = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""

# A worker leaves: its leases are released (its output is published) and it is unregistered.
_LEAVE: Final = """
local released = redis.call('HLEN', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[3], ARGV[1])
return {released, redis.call('HLEN', KEYS[3]), redis.call('ZCARD', KEYS[4])}
"""


@dataclass(frozen=True, slots=True)
class Quiet:
    """One look at the whole crawl from an idle worker."""

    queued: int
    busy_workers: int  # other live workers holding work
    requeued: int  # leases of dead workers put back just now
    dead_workers: int

    @property
    def quiet(self) -> bool:
        return self.queued == 0 and self.busy_workers == 0 and self.requeued == 0


@dataclass(frozen=True, slots=True)
class Departure:
    released: int
    workers_left: int
    queued: int


class LeaseBook:
    """This worker's side of the leases. Synchronous Redis calls, each one round trip."""

    def __init__(self, server: redis.Redis, keys: RunKeys, worker: str) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self._pop = server.register_script(_POP)
        self._reap = server.register_script(_REAP)
        self._leave = server.register_script(_LEAVE)
        # Lease ids are this worker's own (its lease hash is its own): a counter, no round trip.
        self._next_lease = 1

    def register(self, ttl: float) -> None:
        """Alive and busy: nobody may finish the crawl while this worker starts."""
        pipe = self.server.pipeline(transaction=True)
        pipe.set(self.keys.alive(self.worker), "1", px=int(ttl * 1000))
        pipe.hset(self.keys.workers, self.worker, "0")
        pipe.execute()

    def pop(self) -> tuple[int, bytes] | None:
        """The next request, leased to this worker: (lease id, serialised request)."""
        found = self.lease(self._next_lease)
        if found is not None:
            self._next_lease += 1
        return found

    def lease(self, lease_id: int) -> tuple[int, bytes] | None:
        """``pop`` under a given lease id: called again with the same id, the same request."""
        found: Any = self._pop(
            keys=[self.keys.requests, self.keys.leases(self.worker), self.keys.workers],
            args=[self.worker, lease_id],
        )
        if not found:
            return None
        return int(found[0]), bytes(found[1])

    def look(self, *, idle: bool) -> Quiet:
        """Requeue dead workers' leases; with ``idle``, mark this worker idle first."""
        result: Any = self._reap(
            keys=[self.keys.requests, self.keys.workers],
            args=[self.keys.prefix, "1" if idle else "0", self.worker],
        )
        return Quiet(*(int(value) for value in result))

    def held(self) -> int:
        return int(self.server.hlen(self.keys.leases(self.worker)))

    def leave(self) -> Departure:
        result: Any = self._leave(
            keys=[self.keys.leases(self.worker), self.keys.alive(self.worker),
                  self.keys.workers, self.keys.requests],
            args=[self.worker],
        )
        return Departure(*(int(value) for value in result))


# The exit status of a worker that found its heartbeat had lapsed (a stall longer than the
# lease TTL): the worker pool replaces it like a crashed one.
EXIT_LEASE_LOST: Final = 75


def lease_lost() -> None:
    """Leave at once, publishing nothing: this worker's leases may be another's by now, and
    what it holds would be published twice. Its pages are fetched again; nothing is lost."""
    logger.critical("this worker's heartbeat lapsed: its leases may have gone to other "
                    "workers; it exits now without publishing (exit %d)", EXIT_LEASE_LOST)
    logging.shutdown()
    os._exit(EXIT_LEASE_LOST)


class Heartbeat(threading.Thread):
    """Keeps ``alive:<worker>`` set from a thread of its own, so a long parse on the event loop
    is not mistaken for death; it also reaps dead workers, so their leases come back while the
    others are still busy. It stops with the process: SIGKILL ends the heartbeat too.

    A worker stalled longer than the TTL (swapped out, stopped) finds its key gone: others may
    hold its leases now, so it must not publish what it did (``on_lapse``, by default
    ``lease_lost``: the process exits at once)."""

    def __init__(self, server: redis.Redis, book: LeaseBook, ttl: float,
                 on_lapse: Callable[[], None] = lease_lost) -> None:
        super().__init__(name="newscrawl-heartbeat", daemon=True)
        self.on_lapse = on_lapse
        self.server = server
        self.book = LeaseBook(server, book.keys, book.worker)
        # Its own client when it can have one: its trips are not the crawl's cost per page.
        if isinstance(server, CountingRedis):
            own = CountingRedis(connection_pool=server.connection_pool)
            own.purpose = "heartbeat"
            self.server = own
            self.book = LeaseBook(own, book.keys, book.worker)
        self.ttl = ttl
        self.interval = max(ttl / 4, 0.2)
        self.requeued = 0
        self.failures = 0
        self._stop_event = threading.Event()
        self._beat = self.server.register_script(_BEAT)

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                alive = self._beat(keys=[self.book.keys.alive(self.book.worker)],
                                   args=[int(self.ttl * 1000)])
                if not alive:
                    if not self._stop_event.is_set():
                        self.on_lapse()
                    return
                look = self.book.look(idle=False)
            except redis.RedisError as error:
                self.failures += 1
                logger.error("heartbeat to Redis failed (%s): other workers may take this "
                             "worker's leases", error)
                continue
            if look.requeued:
                self.requeued += look.requeued
                logger.warning("%d leases of %d dead workers returned to the queue",
                               look.requeued, look.dead_workers)

    def stop(self) -> None:
        self._stop_event.set()
