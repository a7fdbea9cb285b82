"""Test-only extension: take SQLite's write lock on the state file just before the crawl commits
its published feed, and keep it, so ``StateCommitExtension``'s commit fails the way it does
when another writer holds the file (after SQLite's busy timeout).

Enabled ahead of StateCommitExtension (a lower order), so its ``feed_slot_closed`` handler runs
first. The subprocess finds it on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler

from newscrawl.config import NewscrawlConfig


class HoldStateWriteLock:
    def __init__(self, crawler: Crawler) -> None:
        self.path = NewscrawlConfig.from_settings(crawler.settings).state_path
        self.holder: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        return extension

    def feed_slot_closed(self, slot: Any) -> None:
        if self.holder is None and f"{os.sep}runs{os.sep}" in str(slot.uri):
            self.holder = sqlite3.connect(self.path, isolation_level=None)
            self.holder.execute("BEGIN IMMEDIATE")
