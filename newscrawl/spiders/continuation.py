"""Long stories: the page holds only the first part of the body, and a "load the full story"
link fetches the rest from ``/api/readmore/get/<guid>/``. The rest is fetched with a plain
request (never the browser) and joined in order by the page class; a story whose continuation
cannot be had after the retries is quarantined as ``body-incomplete``, never published cut.

The spider owns the callbacks (a request stored by a shared scheduler may only name spider
methods); this module makes the request and decides what each outcome becomes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from newscrawl.items import DiscoveredVia, QuarantineItem
from newscrawl.pages import ArticleData, ArticlePage, PageError
from newscrawl.pages.continuation import BODY_INCOMPLETE
from newscrawl.spiders.failures import failure_reason, one_line

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/continuation"
# After the story's page: the page that waits for it is already fetched.
CONTINUATION_PRIORITY: Final = 5


@dataclass(frozen=True, slots=True)
class CutStory:
    """A long story's page, read up to its load link, waiting for the rest of its body."""

    url: str  # canonical, on the real site
    page_url: str  # as fetched (a replica's URL in tests)
    html: str
    content_type: str | None
    via: DiscoveredVia
    referrer: str | None
    crawled_at: datetime
    rendered: bool  # the page came through the browser (its "Others Also Read" list is read)


class ContinuationReader:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    def request(self, story: CutStory, url: str, callback: Callable[..., Any],
                errback: Callable[[Failure], Any]) -> Request:
        """The plain request of the continuation (no browser meta), retried like any page."""
        self.stats.inc_value(f"{STATS_PREFIX}/requested")
        return Request(url, callback=callback, errback=errback, cb_kwargs={"story": story},
                       priority=CONTINUATION_PRIORITY, dont_filter=True)

    def join(self, response: Response, story: CutStory,
             spider: Spider) -> ArticleData | Request | QuarantineItem:
        """The whole story; a retry of a continuation that came back unreadable; or, once
        the retries are spent, the story quarantined."""
        try:
            if not isinstance(response, TextResponse):
                raise PageError(BODY_INCOMPLETE, "the continuation is not text")
            page = ArticlePage.for_page(story.url, story.html, story.content_type)
            data = page.to_data(continuation=response.text)
        except PageError as error:
            retry = None if response.request is None else get_retry_request(
                response.request, spider=spider, reason=f"{STATS_PREFIX}/unreadable")
            if retry is not None:
                return retry
            return self.incomplete(story, error.detail or error.reason)
        self.stats.inc_value(f"{STATS_PREFIX}/joined")
        return data

    def failed(self, failure: Failure) -> QuarantineItem:
        """The continuation was not fetched (after the retry middleware's retries)."""
        request = getattr(failure, "request", None)
        story = request.cb_kwargs["story"] if request is not None else None
        assert isinstance(story, CutStory)
        self.stats.inc_value(f"{STATS_PREFIX}/failed/{failure_reason(failure)}")
        return self.incomplete(story, f"{failure_reason(failure)}: {one_line(failure.value)}")

    def incomplete(self, story: CutStory, detail: str) -> QuarantineItem:
        self.stats.inc_value(f"newscrawl/bad_page/{BODY_INCOMPLETE}")
        logger.warning("bad page (%s: %s): %s", BODY_INCOMPLETE, detail, story.url)
        return QuarantineItem(url=story.url, reasons=[BODY_INCOMPLETE], stage="parse",
                              crawled_at=story.crawled_at.isoformat(timespec="seconds"),
                              html=story.html)
