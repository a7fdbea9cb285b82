"""QuarantinePipeline: keep the page of every quarantined record beside the quarantine feed.

Every ``QuarantineItem`` passes here, from the spider (a page it could not read) or from the
validator (a record that failed). Its ``html`` is written to
``<NEWSCRAWL_DATA_DIR>/quarantine/<run_id>/<sha256 of the html>.html`` and replaced by
``html_path``, so the feed stays small and a reviewer can open the page as it was fetched. A
page that cannot be written is counted and logged, and the item still goes to the feed with
``html-not-saved`` among its reasons: a record is never lost because its page was.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Final, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.feeds import write_atomically
from newscrawl.items import QuarantineItem
from newscrawl.state.crawl import crawl_state_for

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/quarantine"


class QuarantinePipeline:
    def __init__(self, stats: StatsCollector, html_dir: Path) -> None:
        self._stats = stats
        self._html_dir = html_dir

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        state = crawl_state_for(crawler)
        return cls(crawler.stats, state.config.layout.quarantine_pages(state.run_id))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, QuarantineItem):
            return item
        self._stats.inc_value(f"{STATS_PREFIX}/items/{item.stage}")
        if item.html is None:
            return item
        # "replace": a page decoded with lone surrogates must still be saved, not crash the item.
        data = item.html.encode("utf-8", errors="replace")
        item.html = None
        path = self._html_dir / f"{hashlib.sha256(data).hexdigest()}.html"
        try:
            if not path.exists():  # the same page quarantined twice is kept once
                write_atomically(path, lambda temp: temp.write_bytes(data))
        except OSError as exc:
            self._stats.inc_value(f"{STATS_PREFIX}/html_not_saved")
            logger.error("Could not save the page of quarantined %s to %s: %s", item.url, path, exc)
            item.reasons = [*item.reasons, f"html-not-saved: {exc}"]
            return item
        self._stats.inc_value(f"{STATS_PREFIX}/html_saved")
        item.html_path = str(path)
        return item
