"""Scrapy's log lines, without building the two DEBUG lines of every page that the crawl's log
level drops.

Scrapy logs "Crawled (200) <GET …>" for every response and "Scraped from <200 …>" for every
item at DEBUG, through ``logger.log``. It leaves the root logger at NOTSET and filters by level
in its handler, so each of them makes a ``LogRecord`` (the caller's frame looked up, the
arguments kept) that the handler then throws away: ~10-15 µs each at the default INFO
(bench/bench_response_machinery.py). ``LogFormatter`` returning None is Scrapy's documented way
to log nothing; this one does so only for those two lines and only when ``LOG_LEVEL`` is above
DEBUG, where no handler Scrapy installs (the log's, nor ``LogCount``'s ``log_count/*`` stats,
which count at ``LOG_LEVEL`` too) would have kept them. With ``LOG_LEVEL=DEBUG`` every line is
Scrapy's, unchanged.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


def logs_debug(level: int | str | None) -> bool:
    """Whether a ``LOG_LEVEL`` value lets DEBUG lines through (an unknown name: assume so)."""
    if isinstance(level, int):
        return level <= logging.DEBUG
    number = logging.getLevelName(str(level or "DEBUG").upper())
    return not isinstance(number, int) or number <= logging.DEBUG


class LevelAwareLogFormatter(LogFormatter):
    def __init__(self, debug: bool = True) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(debug=logs_debug(crawler.settings.get("LOG_LEVEL")))

    def crawled(self, request: Request, response: Response,  # type: ignore[override]
                spider: Spider) -> LogFormatterResult | None:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Response | Failure | None,  # type: ignore[override]
                spider: Spider) -> LogFormatterResult | None:
        return super().scraped(item, response, spider) if self.debug else None
