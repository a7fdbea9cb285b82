"""Tells the run's pending stories (``newscrawl.state.pending``) what became of each story the
pipelines passed on, and puts what the run leaves pending in the crawl stats, where the
monitors (``PendingMonitor``), the stats dump and the manifest read it."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.item_signals import on_item_scraped
from newscrawl.items import QuarantineItem, StoryItem
from newscrawl.state.crawl import CrawlState, crawl_state_for, utc_now

logger = logging.getLogger(__name__)


class PendingStoriesExtension:
    def __init__(self, state: CrawlState, stats: StatsCollector) -> None:
        self._state = state
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        extension = cls(crawl_state_for(crawler), crawler.stats)
        on_item_scraped(crawler, extension.item_scraped)
        # Connected before the monitors and the stats dump (higher EXTENSIONS orders) are.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        pending = self._state.pending_stories
        if pending is None:
            return
        if isinstance(item, StoryItem):
            pending.emitted(item.url)
        elif isinstance(item, QuarantineItem):
            reason = item.reasons[0] if item.reasons else "quarantined"
            pending.quarantined(item.url, f"{item.stage}: {reason}")

    def spider_closed(self) -> None:
        pending = self._state.pending_stories
        if pending is None:
            return
        summary = pending.summary(utc_now())
        for key, value in summary.to_stats().items():
            self._stats.set_value(key, value)
        if summary.left or summary.given_up:
            logger.info("Pending: %d stories left for the next runs (%d new this run, %d "
                        "quarantined); %d given up (%d by this run)", summary.left,
                        summary.left_new, summary.quarantined, summary.given_up,
                        summary.gave_up)
