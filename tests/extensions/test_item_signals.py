"""The project's item_scraped handlers share one Scrapy receiver, in their order, and a failing
one does not stop the others."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydispatch.dispatcher import getAllReceivers
from scrapy import signals
from scrapy.utils.test import get_crawler

from newscrawl.item_signals import on_item_scraped


def test_handlers_run_in_order_through_one_receiver(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler()
    receivers = len(signals_receivers(crawler))
    seen: list[tuple[str, Any]] = []

    def failing(item: Any) -> None:
        seen.append(("failing", item))
        raise ValueError("broken handler")

    on_item_scraped(crawler, lambda item: seen.append(("first", item)))
    on_item_scraped(crawler, failing)
    on_item_scraped(crawler, lambda item: seen.append(("last", item)))
    assert len(signals_receivers(crawler)) == receivers + 1
    with caplog.at_level(logging.ERROR):
        crawler.signals.send_catch_log(signal=signals.item_scraped, item="story",
                                       response=None, spider=None)
    assert seen == [("first", "story"), ("failing", "story"), ("last", "story")]
    assert "Error caught on signal handler" in caplog.text and "broken handler" in caplog.text

    other = get_crawler()  # another crawler's handlers are its own
    on_item_scraped(other, lambda item: seen.append(("other", item)))
    other.signals.send_catch_log(signal=signals.item_scraped, item="x", response=None,
                                 spider=None)
    assert seen[-1] == ("other", "x") and len(seen) == 4


def signals_receivers(crawler: Any) -> list[Any]:
    return list(getAllReceivers(crawler.signals.sender, signals.item_scraped))
