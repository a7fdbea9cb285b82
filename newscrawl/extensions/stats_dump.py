"""Write a crawl's final stats as JSON, so a caller in another process (tests, the bench, run
manifests) reads numbers instead of scraping the log."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.config import NewscrawlConfig
from newscrawl.crawl_failure import fail
from newscrawl.feeds import storage_error, write_atomically

logger = logging.getLogger(__name__)


class StatsDumpExtension:
    """On spider close, writes every stat to NEWSCRAWL_STATS_PATH (off when unset)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsDumpExtension:
        path = NewscrawlConfig.from_settings(crawler.settings).stats_path
        if path is None:
            raise NotConfigured  # no message: Scrapy would log it as a warning on every run
        extension = cls(crawler, path)
        # Handlers run in connection order; CoreStats (EXTENSIONS order 0) connects first, so
        # its finish_reason and elapsed time are in the dump.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        text = json.dumps(stats, default=_jsonable, sort_keys=True, indent=1)
        try:
            # Atomic: a full disk leaves no half-written (or 0-byte) file behind.
            write_atomically(self.path, lambda temp: temp.write_text(text, encoding="utf-8"))
        except OSError as error:
            fail(self.crawler, f"stats not written: {storage_error(self.path, error)}")
            return
        logger.info("crawl stats written to %s", self.path)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return str(value)
