"""A crawl that failed says so: one line on stderr and exit code 1 (``newscrawl.commands.crawl``),
and its reasons in the run manifest (``newscrawl run`` exits 1 from them).

Scrapy itself exits 0 once a crawl has started, whatever happened in it. Components record a
failure here with ``fail(crawler, reason)``: the state store could not record what the run
published (``StateCommitExtension``), or the site could not be reached at all
(``CrawlFailureExtension``: requests were made and not one response came back).
"""

from __future__ import annotations

import logging
from typing import Final, Self
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

FAILED: Final = "newscrawl/failed"
_FAILURES: WeakKeyDictionary[Crawler, list[str]] = WeakKeyDictionary()


def fail(crawler: Crawler, reason: str) -> None:
    """Record that the crawl failed, and why (one line)."""
    _FAILURES.setdefault(crawler, []).append(reason)
    if crawler.stats is not None:
        crawler.stats.set_value(FAILED, "; ".join(_FAILURES[crawler]))
    logger.error("crawl failed: %s", reason)


def failures_of(crawler: Crawler) -> tuple[str, ...]:
    return tuple(_FAILURES.get(crawler, ()))


def unreachable_reason(stats: dict[str, object]) -> str | None:
    """Why the site counts as unreachable, from the crawl stats: None if it answered at all."""
    requests = int(stats.get("downloader/request_count") or 0)  # type: ignore[call-overload]
    if requests == 0 or stats.get("downloader/response_count"):
        return None
    prefix = "downloader/exception_type_count/"
    errors = sorted(key.removeprefix(prefix).rsplit(".", 1)[-1]
                    for key in stats if key.startswith(prefix))
    return (f"the site could not be reached: no response to {requests} requests "
            f"({', '.join(errors) or 'no error reported'})")


class CrawlFailureExtension:
    """Fails a crawl that made requests and got not a single response back."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        # Before the monitors and the manifest writer (higher EXTENSIONS orders) read it.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self) -> None:
        assert self.crawler.stats is not None
        reason = unreachable_reason(self.crawler.stats.get_stats())
        if reason is not None:
            fail(self.crawler, reason)
