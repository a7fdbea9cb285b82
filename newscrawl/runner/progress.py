"""Crawl progress as one log line every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds.

The crawl runs in a child process whose output goes to the run's log file; ``newscrawl run``
follows that file and turns these lines into a live status when a person is watching. One
format, written by ``ProgressLogExtension`` and read by ``parse_progress``, lives here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Final, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from newscrawl.config import NewscrawlConfig
from newscrawl.monitors import tally

logger = logging.getLogger(__name__)

_LINE_RE: Final = re.compile(
    r"progress: pages=(?P<pages>\d+) stories=(?P<stories>\d+) "
    r"quarantined=(?P<quarantined>\d+) errors=(?P<errors>\d+)"
)


@dataclass(frozen=True, slots=True)
class Progress:
    pages: int = 0
    stories: int = 0
    quarantined: int = 0
    errors: int = 0

    def line(self) -> str:
        return (f"progress: pages={self.pages} stories={self.stories} "
                f"quarantined={self.quarantined} errors={self.errors}")

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> Self:
        def count(key: str) -> int:
            return int(stats.get(key) or 0)

        return cls(count("response_received_count"), count(tally.STORIES),
                   count(tally.QUARANTINED), count("log_count/ERROR"))


def parse_progress(line: str) -> Progress | None:
    match = _LINE_RE.search(line)
    if match is None:
        return None
    return Progress(*(int(match[name]) for name in ("pages", "stories", "quarantined", "errors")))


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
        logger.info(Progress.from_stats(self.crawler.stats.get_stats()).line())

    def spider_opened(self) -> None:
        self.task = LoopingCall(self.report)
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report()  # the final figures, so a short crawl shows progress too
