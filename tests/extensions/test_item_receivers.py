"""The crawl's handlers of every published item behind one Scrapy receiver of ``item_scraped``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from pydispatch.dispatcher import getAllReceivers, liveReceivers
from scrapy import Spider, signals
from scrapy.utils.test import get_crawler

from newscrawl import settings as project
from newscrawl.item_receivers import on_item_scraped


def receivers_of(crawler: Any) -> list[Any]:
    return list(liveReceivers(getAllReceivers(crawler.signals.sender, signals.item_scraped)))


def test_each_handler_gets_each_item_in_the_order_connected() -> None:
    crawler = get_crawler(Spider)
    before = len(receivers_of(crawler))
    seen: list[tuple[str, Any]] = []
    on_item_scraped(crawler, lambda item: seen.append(("first", item)))
    on_item_scraped(crawler, lambda item: seen.append(("second", item)))
    assert len(receivers_of(crawler)) == before + 1
    for item in ({"n": 1}, {"n": 2}):
        crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None,
                                       spider=None)
    assert seen == [("first", {"n": 1}), ("second", {"n": 1}),
                    ("first", {"n": 2}), ("second", {"n": 2})]


def test_a_handler_that_raises_is_logged_as_scrapy_logs_it_and_the_others_still_run(
        caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(Spider)
    seen: list[Any] = []

    def broken(item: Any) -> None:
        raise ValueError("bad handler")

    on_item_scraped(crawler, broken)
    on_item_scraped(crawler, seen.append)
    with caplog.at_level(logging.ERROR):
        crawler.signals.send_catch_log(signals.item_scraped, item={"n": 1}, response=None,
                                       spider=None)
    assert seen == [{"n": 1}]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage().startswith("Error caught on signal handler: ")
    assert record.exc_info is not None and isinstance(record.exc_info[1], ValueError)


def test_the_crawls_extensions_cost_scrapy_one_receiver(tmp_path: Path) -> None:
    """State commit, pending stories and story tally: one item_scraped receiver between them,
    beside Scrapy's own (the feed exporter, core stats)."""
    crawler = get_crawler(Spider, {"EXTENSIONS": project.EXTENSIONS, "SPIDERMON_ENABLED": False,
                                   "NEWSCRAWL_DATA_DIR": str(tmp_path / "data"),
                                   "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite")})
    crawler._apply_settings()
    names = sorted(getattr(r, "__qualname__", repr(r)) for r in receivers_of(crawler))
    ours = [n for n in names if n.startswith("ItemScrapedReceivers")]
    assert ours == ["ItemScrapedReceivers.item_scraped"], names
    from newscrawl.item_receivers import _RECEIVERS

    handlers = [h.__qualname__ for h in _RECEIVERS[crawler].handlers]
    assert handlers == ["StateCommitExtension.item_scraped", "StoryTallyExtension.item_scraped",
                        "PendingStoriesExtension.item_scraped"]
