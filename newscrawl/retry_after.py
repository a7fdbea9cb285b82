"""RetryAfterMiddleware: a 429 or 503 with ``Retry-After`` pauses its host, not the crawl.

Scrapy 2.19 has no Retry-After support (scrapy/scrapy#3849, #6660 are open): RetryMiddleware
schedules the retry at once, so a throttled site saw the retry ~40 ms later. This middleware
sits above RetryMiddleware (550), so it reads the throttled response first, and notes for the
response's download slot (one per host unless ``download_slot`` says otherwise) a time before
which no request of that slot may be sent. Every request of that slot, the retry included,
waits in ``process_request`` until then; requests of other slots go on as before.

The wait is capped by ``NEWSCRAWL_RETRY_AFTER_MAX``: a server asking for an hour must not
stall a run whose whole budget is shorter (the retry then fails and is counted as such).
"""

from __future__ import annotations

import logging
import statistics
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from newscrawl.config import NewscrawlConfig

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/retry_after"
THROTTLE_STATUSES: Final = frozenset({429, 503})
# Set on the throttled request; RetryMiddleware copies meta into the retry, which therefore
# knows when its predecessor's response came and how long the server asked it to wait.
NOTED_META: Final = "newscrawl_retry_after"


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP-date).

    None when the value is neither; a date in the past means no wait (0).
    """
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; an obsolete form may lack the zone
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class SlotPauses:
    """When each download slot (host) may be used again, on the ``time.monotonic()`` clock."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def __bool__(self) -> bool:
        return bool(self._until)

    def pause(self, slot: str, until: float) -> None:
        """A later pause wins; an earlier one never shortens a pause already set."""
        self._until[slot] = max(self._until.get(slot, 0.0), until)

    def remaining(self, slot: str, now: float) -> float:
        """Seconds ``slot`` must still wait (0 for a slot that was never paused); a pause that
        is over is forgotten."""
        until = self._until.get(slot)
        if until is None:
            return 0.0
        if until <= now:
            del self._until[slot]
            return 0.0
        return until - now


class RetryAfterMiddleware:
    """Must sit above RetryMiddleware (550) in DOWNLOADER_MIDDLEWARES."""

    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.crawler = crawler
        self.cap = cap
        self._pauses = SlotPauses()
        self._waits: list[float] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, NewscrawlConfig.from_settings(crawler.settings).retry_after_max)

    @property
    def _stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def _slot(self, request: Request) -> str:
        engine: Any = self.crawler.engine
        return str(engine.downloader.get_slot_key(request))

    async def process_request(self, request: Request) -> None:
        if self._pauses:
            key = self._slot(request)
            # A loop, not one sleep: a timer may fire a hair early, and another throttled
            # response of the slot may have pushed the time further while this one waited.
            while (remaining := self._pauses.remaining(key, time.monotonic())) > 0:
                await maybe_deferred_to_future(deferLater(reactor, remaining, lambda: None))
        noted = request.meta.pop(NOTED_META, None)
        if noted is not None:
            received, wanted = noted
            waited = time.monotonic() - received
            self._waits.append(waited)
            self._stats.inc_value(f"{STATS_PREFIX}/waited")
            self._stats.min_value(f"{STATS_PREFIX}/min_margin_s", round(waited - wanted, 3))
            self._stats.max_value(f"{STATS_PREFIX}/max_wait_s", round(waited, 3))
            # Kept current, not set at close: the stats dump may run before a close handler.
            self._stats.set_value(f"{STATS_PREFIX}/median_wait_s",
                                  round(statistics.median(self._waits), 3))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in THROTTLE_STATUSES:
            return response
        header = response.headers.get("Retry-After")
        if not header:
            self._stats.inc_value(f"{STATS_PREFIX}/absent/{response.status}")
            return response
        asked = retry_after_seconds(header.decode("latin-1"))
        if asked is None:
            self._stats.inc_value(f"{STATS_PREFIX}/unreadable")
            logger.warning("Unreadable Retry-After %r from %s", header, request.url)
            return response
        wait = min(asked, self.cap)
        if asked > self.cap:
            self._stats.inc_value(f"{STATS_PREFIX}/capped")
            logger.warning("%s asks to wait %.0f s; waiting NEWSCRAWL_RETRY_AFTER_MAX=%.0f s",
                           request.url, asked, self.cap)
        now = time.monotonic()
        key = self._slot(request)
        self._pauses.pause(key, now + wait)
        request.meta[NOTED_META] = (now, wait)
        self._stats.inc_value(f"{STATS_PREFIX}/responses/{response.status}")
        self._stats.max_value(f"{STATS_PREFIX}/max_asked_s", asked)
        logger.info("HTTP %d with Retry-After %s: %s waits %.1f s", response.status,
                    header.decode("latin-1"), key, wait)
        return response
