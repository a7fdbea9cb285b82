"""Test-only extension: SIGKILL the crawl right after its story feed is published, before
``StateCommitExtension`` commits it: the instant recovery (``newscrawl.state.recovery``) closes.

Enabled ahead of StateCommitExtension (a lower order), so its ``feed_slot_closed`` handler runs
first. The subprocess finds it on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import signal
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler


class KillAfterStoryFeed:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls()
        crawler.signals.connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        return extension

    def feed_slot_closed(self, slot: Any) -> None:
        if f"{os.sep}runs{os.sep}" in str(slot.uri):
            os.kill(os.getpid(), signal.SIGKILL)
