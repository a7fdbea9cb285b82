"""One Scrapy receiver of ``item_scraped`` for the crawl's own handlers of every published item.

Scrapy 2.19 sends ``item_scraped`` with ``send_catch_log_async``: every receiver gets a
coroutine of its own, wrapped in an asyncio task and gathered, for every item, even a receiver
that is a plain method returning at once; ~15 µs a receiver and item here
(bench/bench_response_machinery.py). Three of the crawl's extensions take every published item
(the state commit, the pending stories, the story tally): connected through ``on_item_scraped``
they cost Scrapy one receiver. Each handler still runs once per item, in the order the
extensions were connected (the order of ``EXTENSIONS``, as Scrapy's receivers would run), and
one that raises is logged as Scrapy logs a failed receiver, without stopping the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Spider, signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

ItemHandler = Callable[[Any], None]


class ItemScrapedReceivers:
    """The handlers of one crawl, called in turn by its one ``item_scraped`` receiver."""

    def __init__(self) -> None:
        self.handlers: list[ItemHandler] = []

    def item_scraped(self, item: Any, spider: Spider | None = None) -> None:
        for handler in self.handlers:
            try:
                handler(item)
            except Exception:
                # Scrapy's own line for a receiver that raised (scrapy.utils.signal).
                logger.error("Error caught on signal handler: %(receiver)s",
                             {"receiver": handler}, exc_info=True, extra={"spider": spider})


_RECEIVERS: WeakKeyDictionary[Crawler, ItemScrapedReceivers] = WeakKeyDictionary()


def on_item_scraped(crawler: Crawler, handler: ItemHandler) -> None:
    """Call ``handler(item)`` for every item the crawl publishes (Scrapy's ``item_scraped``)."""
    receivers = _RECEIVERS.get(crawler)
    if receivers is None:
        receivers = _RECEIVERS[crawler] = ItemScrapedReceivers()
        crawler.signals.connect(receivers.item_scraped, signal=signals.item_scraped)
    receivers.handlers.append(handler)
