"""scrapy-redis's scheduler and dupefilter, with what they lack on Scrapy 2.19 added on top:

- the queue's ``pop`` leases the request (``LeaseBook``) instead of forgetting it, and a worker
  pops nothing while a request it popped waits for the shared politeness budget;
- ``enqueue_request`` marks the request seen and queues it in one Lua script, after the
  request was serialised: a request that cannot be serialised is never marked seen, and is
  reported loudly (log error, ``newscrawl/redis/unqueued``) instead of vanishing;
- the dupefilter fingerprints with the crawler's ``REQUEST_FINGERPRINTER_CLASS``, as the
  single-process crawl does, and its key belongs to the run (``RunKeys``);
- ``close`` never flushes the shared queue (scrapy-redis's ``SCHEDULER_PERSIST=False`` made the
  first worker to close delete it); the last worker of a finished run removes the run's keys
  unless ``SCHEDULER_PERSIST`` keeps them (``DistributedRunExtension``).
"""

from __future__ import annotations

import logging
from typing import Any, Final, Self

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from newscrawl.distributed.config import UNQUEUED
from newscrawl.distributed.runtime import (
    WorkerRuntime,
    runtime_for,
    waits_for_budget,
    waits_in_slot,
)

logger = logging.getLogger(__name__)

LEASE_META: Final = "newscrawl_lease"
REDIS_UNAVAILABLE: Final = "redis_unavailable"
# Times the worker popped nothing because a request it popped still waited in a download slot.
HELD_FOR_SLOT: Final = "newscrawl/redis/held_for_slot"

# Mark seen (unless the request skips the filter) and queue, or neither. The score orders by
# priority, then newest first (Scrapy's default depth-first order): with scrapy-redis's bare
# -priority, requests of one priority came out in the byte order of their serialisation, so the
# listing walk, which discovers the stories, waited behind them.
_ENQUEUE: Final = """
if ARGV[1] == '1' and redis.call('SADD', KEYS[1], ARGV[2]) == 0 then return 0 end
local n = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) * 4294967296 - n, ARGV[4])
return 1
"""


class ProjectFingerprintDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's Redis set of seen requests, keyed by the project's fingerprints."""

    def __init__(self, server: Any, key: str, crawler: Crawler, debug: bool = False) -> None:
        super().__init__(server, key, debug)
        self._fingerprinter = crawler.request_fingerprinter

    @classmethod
    def from_spider(cls, spider: Any) -> Self:
        runtime = runtime_for(spider.crawler)
        return cls(runtime.server, runtime.keys.dupefilter, spider.crawler,
                   spider.settings.getbool("DUPEFILTER_DEBUG"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        runtime = runtime_for(crawler)
        return cls(runtime.server, runtime.keys.dupefilter, crawler,
                   crawler.settings.getbool("DUPEFILTER_DEBUG"))

    def request_fingerprint(self, request: Request) -> str:
        return str(self._fingerprinter.fingerprint(request).hex())

    def close(self, reason: str = "") -> None:
        """The seen set belongs to the run, not to this worker: never deleted here."""


class LeasedPriorityQueue(PriorityQueue):  # type: ignore[misc]
    """The scrapy-redis priority queue whose ``pop`` leases the request to this worker."""

    runtime: WorkerRuntime

    def pop(self, timeout: int = 0) -> Request | None:
        leased = self.runtime.book.pop()
        if leased is None:
            return None
        lease_id, data = leased
        request: Request = self._decode_request(data)
        request.meta[LEASE_META] = lease_id
        return request


class LeasedScheduler(Scheduler):  # type: ignore[misc]
    runtime: WorkerRuntime
    _stopping: bool
    _empty: bool
    _finished: bool  # the crawl finished before this worker started

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        runtime = runtime_for(crawler)
        scheduler = cls(
            server=runtime.server,
            persist=True,  # see the module: the run's keys are removed by its last worker
            queue_key=runtime.keys.requests,
            queue_cls=f"{LeasedPriorityQueue.__module__}.{LeasedPriorityQueue.__qualname__}",
            dupefilter=ProjectFingerprintDupeFilter.from_crawler(crawler),
            dupefilter_key=runtime.keys.dupefilter,
            idle_before_close=0,
            serializer=None,
        )
        scheduler.stats = crawler.stats
        scheduler.runtime = runtime
        scheduler.crawler = crawler
        scheduler._enqueue = runtime.server.register_script(_ENQUEUE)
        scheduler._empty = False
        scheduler._stopping = False
        scheduler._finished = False
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.queue.runtime = self.runtime
        if self.server.exists(self.runtime.keys.finished):
            # Its workers finished it and removed its frontier: crawling now would fetch it all
            # again, alone, and retry its pending stories twice in one run.
            logger.warning("crawl %s has finished already: this worker queues nothing and "
                           "leaves", self.runtime.config.crawl_id)
            self.stats.set_value("newscrawl/redis/crawl_finished_before_start", 1)
            self._finished = True

    def close(self, reason: str) -> None:
        """Nothing to flush: see the module."""

    def enqueue_request(self, request: Request) -> bool:
        if self._finished:
            return False
        if self.runtime.lost:
            self.stats.inc_value(UNQUEUED)
            return False
        try:
            data = self.queue._encode_request(request)
        except Exception as error:  # e.g. a callback that is not a spider method
            self.stats.inc_value(UNQUEUED)
            logger.error("request %s cannot be queued in Redis (%s: %s): it is NOT crawled; "
                         "it stays unseen for the next run", request, type(error).__name__,
                         error)
            return False
        fingerprint = self.df.request_fingerprint(request)
        try:
            queued = self._enqueue(
                keys=[self.runtime.keys.dupefilter, self.runtime.keys.requests,
                      self.runtime.keys.sequence],
                args=["0" if request.dont_filter else "1", fingerprint, -request.priority, data],
            )
        except redis.RedisError as error:
            # Marked seen and queued, or neither (one script): the page that linked here is
            # still leased to this worker, which now stops without releasing it, so a resumed
            # run fetches that page again and finds this link again.
            self.stats.inc_value(UNQUEUED)
            self._lost_redis(error, f"request {request} not queued")
            return False
        if not queued:
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self._empty = False
        return True

    def next_request(self) -> Request | None:
        if self.runtime.lost:
            return None
        if self.runtime.budgeted and waits_for_budget(self.crawler):
            # Leave the queue to the other workers until the budget lets that one go (the
            # rate limiter wakes the engine then): a request waits in Redis, not leased here.
            return None
        if waits_in_slot(self.crawler):
            # The engine asks again when a download ends, which frees a transfer slot.
            self.stats.inc_value(HELD_FOR_SLOT)
            return None
        try:
            request: Request | None = self.queue.pop()
        except redis.RedisError as error:
            self._lost_redis(error, "no request can be popped")
            return None
        if request is None:
            self._empty = True
            return None
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _lost_redis(self, error: Exception, what: str) -> None:
        """Redis stayed unreachable past NEWSCRAWL_REDIS_OUTAGE_TIMEOUT: stop the worker."""
        logger.critical("Redis unreachable for longer than %.0f s (%s): %s; this worker stops "
                        "(finish reason %s) and keeps its leases for a resumed run",
                        self.runtime.config.outage_timeout, error, what, REDIS_UNAVAILABLE)
        self.stats.set_value("newscrawl/redis/unavailable", 1)
        self.runtime.lost = True
        engine = self.crawler.engine
        if not self._stopping and engine is not None and engine.spider is not None:
            self._stopping = True
            deferred_from_coro(engine.close_spider_async(reason=REDIS_UNAVAILABLE))

    def has_pending_requests(self) -> bool:
        # The last pop says: a ZCARD here would cost a round trip every time the engine looks.
        # When it is wrong (another worker pushed since), the idle check sees the queue.
        return not self._empty

    def __len__(self) -> int:
        return int(self.runtime.server.zcard(self.runtime.keys.requests))
