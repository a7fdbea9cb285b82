"""SharedRateLimitMiddleware: one politeness budget per domain for all workers together.

Each worker keeps Scrapy's own per-process delay and concurrency; on top, before a request
goes out, a Lua script on the shared Redis reserves it a start time at least ``delay`` after
the previous start of any worker for that domain, and a slot among ``concurrency`` requests in
flight; the worker waits for its start time, sends, and frees the slot when the response (or
the error) comes back. While one of its requests waits, the worker pops no other from the
shared queue (``LeasedScheduler``): the budget is shared in turn among the workers instead of
going to whichever leased the most requests. A worker that dies holds its slots until they
expire, never forever.

Freeing a slot costs no round trip of its own when another reservation follows soon: the
worker keeps the slots it freed for up to ``RELEASE_WINDOW_SECONDS`` and the next reservation
for that domain releases them in the same script (a timer, or the spider's close, releases
what no reservation took). A slot is held that much longer at most, never shorter: the budget
only gets stricter. Times come from Redis's clock (``TIME``), so workers on several
machines share one clock.

Each reservation is appended to ``rate:<domain>:starts`` (the last ``AUDIT_LENGTH``) and each
request's real send and return times to ``rate:<domain>:sent``: what the tests and the
benchmark measure the budget with, in the same round trips.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, Final, Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newscrawl.distributed.runtime import SENT_META, WorkerRuntime, runtime_for, wake

AUDIT_LENGTH: Final = 100_000
SLOT_META: Final = "newscrawl_rate_slot"
# A reserved slot outlives the request by this much at most when its worker dies.
SLOT_MARGIN_SECONDS: Final = 10.0
FULL_RETRY_SECONDS: Final = 0.02
# How long a freed slot may wait for the next reservation to release it (see the module).
RELEASE_WINDOW_SECONDS: Final = 0.05
STATS_PREFIX: Final = "newscrawl/rate"

# KEYS: in flight (zset token -> expiry ms), state (hash), starts (list), sent (list).
# ARGV: token, delay ms, concurrency, hold ms, audit length, then pairs of a freed slot's token
# and "<sent ms> <returned ms>", released first. Returns wait ms, or -1 when full.
# A call retried after its reply was lost (a Redis restart) finds its token and its start.
_RESERVE: Final = """
for i = 6, #ARGV, 2 do
  redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('RPUSH', KEYS[4], ARGV[i + 1])
end
if #ARGV >= 6 then redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if held then return math.max(tonumber(held) - tonumber(ARGV[4]) - now, 0) end
local flying = redis.call('ZCARD', KEYS[1])
if flying >= tonumber(ARGV[3]) then return -1 end
local start = math.max(now, tonumber(redis.call('HGET', KEYS[2], 'next') or '0'))
redis.call('HSET', KEYS[2], 'next', start + tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], start + tonumber(ARGV[4]), ARGV[1])
if flying + 1 > tonumber(redis.call('HGET', KEYS[2], 'peak') or '0') then
  redis.call('HSET', KEYS[2], 'peak', flying + 1)
end
redis.call('HINCRBY', KEYS[2], 'granted', 1)
redis.call('RPUSH', KEYS[3], start)
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[5]), -1)
return start - now
"""
# KEYS: in flight, sent (list). ARGV: audit length, then pairs of token and
# "<sent ms> <returned ms>".
_RELEASE: Final = """
for i = 2, #ARGV, 2 do
  redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('RPUSH', KEYS[2], ARGV[i + 1])
end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
return 1
"""


class SharedRateLimitMiddleware:
    def __init__(self, crawler: Crawler, runtime: WorkerRuntime, stats: StatsCollector,
                 timeout: float) -> None:
        self.crawler = crawler
        self.runtime = runtime
        runtime.budgeted = True
        self.stats = stats
        self.delay_ms = int(runtime.config.delay * 1000)
        self.concurrency = runtime.config.concurrency
        self.hold_ms = int((timeout + SLOT_MARGIN_SECONDS) * 1000)
        self._reserve = runtime.server.register_script(_RESERVE)
        self._release = runtime.server.register_script(_RELEASE)
        # Per domain key: freed slots not released yet, as the scripts' ARGV pairs.
        self._freed: dict[str, list[str]] = {}
        self._flush_timer: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        middleware = cls(crawler, runtime_for(crawler), crawler.stats,
                         crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180))
        crawler.signals.connect(middleware.release_freed, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request: Request) -> None:
        if self.runtime.lost:
            # The page stays leased to this worker: a resumed run fetches it.
            raise IgnoreRequest("Redis is lost: not fetched by this worker")
        domain = urlsplit(request.url).hostname or ""
        base = self.runtime.keys.rate(domain)
        token = uuid.uuid4().hex
        waited = 0.0
        while True:
            freed = self._freed.pop(base, [])
            wait_ms = int(self._reserve(
                keys=[f"{base}:flying", f"{base}:state", f"{base}:starts", f"{base}:sent"],
                args=[token, self.delay_ms, self.concurrency,
                      self.hold_ms + max(self.delay_ms, 0), AUDIT_LENGTH, *freed],
            ))
            if wait_ms >= 0:
                break
            self.stats.inc_value(f"{STATS_PREFIX}/full")
            waited += FULL_RETRY_SECONDS
            await asyncio.sleep(FULL_RETRY_SECONDS)
        if wait_ms:
            waited += wait_ms / 1000
            await asyncio.sleep(wait_ms / 1000)
        if waited:
            self.stats.inc_value(f"{STATS_PREFIX}/waited_ms", int(waited * 1000))
        request.meta[SLOT_META] = (base, token, _now_ms())
        request.meta[SENT_META] = True
        self.stats.inc_value(f"{STATS_PREFIX}/granted")
        wake(self.crawler)  # the scheduler may pop the next request now

    def process_response(self, request: Request, response: Response) -> Response:
        self._free(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._free(request)

    def _free(self, request: Request) -> None:
        slot: Any = request.meta.pop(SLOT_META, None)
        if slot is None or self.runtime.lost:
            return
        base, token, sent = slot
        self._freed.setdefault(base, []).extend((token, f"{sent} {_now_ms()}"))
        if self._flush_timer is None:
            self._flush_timer = asyncio.get_event_loop().call_later(RELEASE_WINDOW_SECONDS,
                                                                    self.release_freed)

    def release_freed(self) -> None:
        """Release the freed slots that no reservation took along."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        freed, self._freed = self._freed, {}
        if self.runtime.lost:
            return
        for base, pairs in freed.items():
            if pairs:
                self._release(keys=[f"{base}:flying", f"{base}:sent"],
                              args=[AUDIT_LENGTH, *pairs])


def _now_ms() -> int:
    return time.time_ns() // 1_000_000
