"""The Scrapy extension that writes the crawl's progress line (``progress``) every
``NEWSCRAWL_PROGRESS_INTERVAL`` seconds, and once more at the end."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from newscrawl.config import NewscrawlConfig
from newscrawl.monitors import tally
from newscrawl.runner.progress import Progress
from newscrawl.spiders.stats import ERRORS

logger = logging.getLogger(__name__)


def progress_of(stats: dict[str, Any]) -> Progress:
    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    return Progress(count("response_received_count"), count(tally.STORIES),
                    count(tally.QUARANTINED), count(ERRORS))


class ProgressLogExtension:
    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.task: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        interval = NewscrawlConfig.from_settings(crawler.settings).progress_interval
        if interval <= 0:
            # No message: Scrapy logs a NotConfigured reason as a warning, and off is the default.
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def report(self) -> None:
        logger.info(progress_of(self.crawler.stats.get_stats()).line())

    def spider_opened(self) -> None:
        self.task = LoopingCall(self.report)
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report()  # the final figures, so a short crawl shows progress too
