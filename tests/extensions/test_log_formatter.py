"""Scrapy's per-page DEBUG lines are built only when the log level keeps them."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.logformatter import LogFormatter
from scrapy.utils.test import get_crawler

from newscrawl import settings as project
from newscrawl.log_formatter import LevelAwareLogFormatter, logs_debug

URL = "http://127.0.0.1:8080/aseanplus/aseanplus-news/2026/11/20/a"


@pytest.mark.parametrize(("level", "debug"), [
    ("DEBUG", True), ("debug", True), (logging.DEBUG, True), (5, True), (None, True),
    ("NOT-A-LEVEL", True), ("INFO", False), ("WARNING", False), (logging.ERROR, False),
])
def test_which_levels_keep_debug_lines(level: int | str | None, debug: bool) -> None:
    assert logs_debug(level) is debug


def formatter(level: str) -> tuple[LevelAwareLogFormatter, Spider]:
    crawler = get_crawler(Spider, {"LOG_LEVEL": level, "LOG_FORMATTER": project.LOG_FORMATTER})
    crawler._apply_settings()
    made = LevelAwareLogFormatter.from_crawler(crawler)
    assert isinstance(made, LevelAwareLogFormatter)
    return made, Spider.from_crawler(crawler, name="s")


def test_above_debug_the_crawled_and_scraped_lines_are_not_built() -> None:
    response = HtmlResponse(URL, body=b"<html></html>", request=Request(URL))
    quiet, spider = formatter("INFO")
    assert quiet.crawled(Request(URL), response, spider) is None
    assert quiet.scraped({"url": URL}, response, spider) is None
    # Every other line stays Scrapy's (a dropped item's, an error's).
    gone = Exception("gone")
    dropped = quiet.dropped({"url": URL}, gone, response, spider)
    assert dropped == LogFormatter().dropped({"url": URL}, gone, response, spider)


def test_at_debug_every_line_is_scrapys() -> None:
    response = HtmlResponse(URL, body=b"<html></html>", request=Request(URL))
    loud, spider = formatter("DEBUG")
    scrapys = LogFormatter()
    request = Request(URL)
    assert loud.crawled(request, response, spider) == scrapys.crawled(request, response, spider)
    assert loud.scraped({"url": URL}, response, spider) == scrapys.scraped(
        {"url": URL}, response, spider)


def test_the_crawl_uses_it() -> None:
    assert project.LOG_FORMATTER == "newscrawl.log_formatter.LevelAwareLogFormatter"
