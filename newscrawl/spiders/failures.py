"""What the crawl does with a page it cannot use: count it under a clear stats key, log one
line, and quarantine it with its reason when there is a body to keep. Never a silent loss."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from newscrawl.items import QuarantineItem
from newscrawl.middlewares import OffOriginRequest
from newscrawl.spiders.dropped import count_dropped
from newscrawl.urls import canonical_url, unbase

logger = logging.getLogger(__name__)


def one_line(error: BaseException | None) -> str:
    """The first line of an error's message, for a log line that must stay one line."""
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def failure_reason(failure: Failure) -> str:
    """A short stable slug for why a request gave no usable response."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http-{error.response.status}"
    if isinstance(error, OffOriginRequest):
        return error.reason
    if isinstance(error, IgnoreRequest) and "max redirections" in str(error):
        return "redirect-loop"  # RedirectMiddleware's words when REDIRECT_MAX_TIMES is hit
    if isinstance(error, IgnoreRequest):
        return "ignored"  # robots.txt, or a filter of another component
    if isinstance(error, DownloadCancelledError):
        return "oversize"
    if isinstance(error, DownloadTimeoutError):
        return "timeout"
    if isinstance(error, ResponseDataLossError):
        return "data-loss"
    return type(error).__name__


class FailureSorter:
    def __init__(self, stats: StatsCollector, base_url: str | None,
                 on_story_failure: Callable[[str, str], None] | None = None) -> None:
        self.stats = stats
        self.base_url = base_url
        # Told (canonical URL, reason) of every story that could not be fetched: the pending
        # stories remember it for the next runs.
        self.on_story_failure = on_story_failure

    def _site_url(self, url: str) -> str:
        return canonical_url(unbase(url, self.base_url))

    def bad_page(self, url: str, reason: str, response: Response | None,
                 crawled_at: datetime | None = None) -> QuarantineItem:
        """A story page that was fetched but is no article (empty, not HTML, no headline…)."""
        self.stats.inc_value(f"newscrawl/bad_page/{reason}")
        logger.warning("bad page (%s): %s", reason, url)
        return self.quarantine(url, reason, response, crawled_at)

    @staticmethod
    def quarantine(url: str, reason: str, response: Response | None,
                   crawled_at: datetime | None = None) -> QuarantineItem:
        html = response.text if isinstance(response, TextResponse) and response.body else None
        return QuarantineItem(
            url=url, reasons=[reason], stage="parse",
            crawled_at=(crawled_at or datetime.now(UTC)).isoformat(timespec="seconds"),
            html=html,
        )

    def count(self, kind: str, reason: str, url: str) -> None:
        """A listing page or feed that could not be read (no record to quarantine)."""
        self.stats.inc_value(f"newscrawl/bad_{kind}/{reason}")
        logger.warning("unreadable %s (%s): %s", kind, reason, url)

    def story_failed(self, failure: Failure) -> Iterator[QuarantineItem]:
        """Errback of story requests: a non-2xx response with a body is quarantined."""
        reason, url = self._note(failure, "story")
        if self.on_story_failure is not None:
            self.on_story_failure(url, reason)
        error = failure.value
        if isinstance(error, HttpError) and error.response.body:
            yield self.quarantine(url, reason, error.response)
        else:
            count_dropped(self.stats, reason)

    def page_failed(self, failure: Failure) -> None:
        """Errback of listing requests."""
        self._note(failure, "listing")

    def feed_failed(self, failure: Failure) -> None:
        """Errback of the RSS request: the site may have no feed, and the crawl does without."""
        error = failure.value
        if isinstance(error, HttpError) and error.response.status in (404, 410):
            self.stats.set_value("newscrawl/rss/unavailable", error.response.status)
            logger.info("no RSS feed (HTTP %s): discovery goes on without it",
                        error.response.status)
            return
        self._note(failure, "feed")

    def _note(self, failure: Failure, kind: str) -> tuple[str, str]:
        reason = failure_reason(failure)
        request: Any = getattr(failure, "request", None)
        # After a redirect, the request is the last hop; the story is the first.
        first = request.meta.get("redirect_urls", [request.url])[0] if request is not None else "?"
        url = self._site_url(first)
        self.stats.inc_value(f"newscrawl/fetch_failed/{reason}")
        self.stats.inc_value(f"newscrawl/fetch_failed/{kind}")
        logger.warning("%s not fetched (%s): %s", kind, reason, url)
        return reason, url
