"""One line at the end of a crawl that published nothing because the state knew everything.

After a first run (or ``make demo`` with the same state), ``scrapy crawl aseanplus -O out.jsonl``
writes an empty file and exits 0: every story it met is in the state already, so none is new.
Without this line nothing says why the file is empty.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.monitors.tally import STORIES
from newscrawl.state.crawl import crawl_state_for

logger = logging.getLogger(__name__)


def nothing_new_line(known: int, state_path: str) -> str:
    return (f"0 new stories: {known} known in {state_path}; `newscrawl state reset` or "
            "NEWSCRAWL_STATE=<another file> to start over")


class NothingNewExtension:
    def __init__(self, crawler: Crawler, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.stats = stats
        self.line: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        extension = cls(crawler, crawler.stats)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        # Said once the engine stopped: after Scrapy's stats dump, the last line of the crawl.
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_closed(self, reason: str) -> None:
        # Counted now, while the store is open; only for a whole run that published nothing.
        if reason != "finished" or self.stats.get_value(STORIES, 0):
            return
        state = crawl_state_for(self.crawler)
        if not state.store_opened:
            return
        known = state.store.stats().stories
        if known:
            self.line = nothing_new_line(known, str(state.config.state_path))

    def engine_stopped(self) -> None:
        if self.line is not None:
            logger.warning(self.line)
