"""CPU of the machinery every response pays around the page reading, as Scrapy ships it and as
the crawl runs it, both in one process, alternated round by round.

- **meta refresh**: a story page through the two readers of its meta refresh, the origin guard
  and the meta refresh middleware: Scrapy's reading (``get_meta_refresh``, which decodes the
  body, resolves the base URL and scans the head; the second reader gets it from Scrapy's
  cache) against the crawl's (``newscrawl.meta_refresh``: the head's bytes looked at first).
  Pages: replica story pages (``--articles``) and the saved pages of the live site
  (``fixtures/pages``, ~10-150 KB), each response made anew per pass, its making not counted;
- **log lines**: Scrapy's "Crawled" line for a response and "Scraped from" line for an item at
  ``LOG_LEVEL=INFO``, Scrapy's ``LogFormatter`` against ``LevelAwareLogFormatter``;
- **item_scraped**: Scrapy's ``send_catch_log_async`` of one item to Scrapy's two receivers (feed
  exporter, core stats) and the crawl's three handlers (state commit, pending stories, tally),
  each connected to Scrapy, against the three behind ``newscrawl.item_receivers`` (handlers
  that return at once: what is measured is the dispatch).

Printed: CPU µs per page (median of the rounds), the two side by side, their difference, and
the 1-minute load average. Both variants return the same verdict on every page (checked).

Run: ``.venv/bin/python bench/bench_response_machinery.py [--rounds 7] [--articles 300]``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from replica_process import replica
from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from scrapy.http import HtmlResponse
from scrapy.logformatter import LogFormatter
from scrapy.settings import Settings
from scrapy.utils.log import configure_logging, logformatter_adapter
from scrapy.utils.test import get_crawler

from newscrawl import settings as project
from newscrawl.item_receivers import on_item_scraped
from newscrawl.log_formatter import LevelAwareLogFormatter
from newscrawl.meta_refresh import MetaRefreshMiddleware
from newscrawl.middlewares import OriginGuardMiddleware

REPO = Path(__file__).resolve().parents[1]
SAVED = sorted((REPO / "fixtures" / "pages").glob("*.html"))
PASSES = 20
# Scrapy's logging as a crawl sets it up: root at NOTSET, the handler at the crawl's level.
CRAWL_LOGGING = {"LOG_LEVEL": project.LOG_LEVEL, "LOG_FILE": os.devnull}
LOOP = asyncio.new_event_loop()
STORY_LINK = re.compile(r'href="([^"]*/aseanplus/aseanplus-news/\d{4}/[^"]+)"')
MORE_LINK = re.compile(r'id="loadMorestories"[^>]*href="([^"]+)"')


def replica_pages(articles: int) -> tuple[str, list[bytes]]:
    """Story pages as the replica serves them, fetched by following its listing."""
    with replica(articles) as origin:
        url, bodies = f"{origin}/aseanplus/aseanplus-news", []
        while url and len(bodies) < articles:
            listing = urllib.request.urlopen(url).read().decode()
            for href in dict.fromkeys(STORY_LINK.findall(listing)):
                bodies.append(urllib.request.urlopen(origin + urlsplit(href).path).read())
            more = MORE_LINK.search(listing)
            url = origin + more.group(1) if more else ""
        return origin, bodies[:articles]


def responses(origin: str, bodies: list[bytes]) -> list[HtmlResponse]:
    url = f"{origin}/aseanplus/aseanplus-news/2026/11/20/story"
    request = Request(url, headers={"Referer": f"{origin}/aseanplus/aseanplus-news"})
    return [HtmlResponse(url, body=body, request=request,
                         headers={"Content-Type": "text/html; charset=utf-8"})
            for body in bodies]


def readers(origin: str, shipped: bool) -> Callable[[HtmlResponse], Any]:
    """The origin guard then the meta refresh middleware, as in DOWNLOADER_MIDDLEWARES."""
    crawler = get_crawler(Spider, CRAWL_LOGGING)
    crawler._apply_settings()
    crawler.spider = Spider.from_crawler(crawler, name="bench")
    crawler.spider.origins = None  # type: ignore[attr-defined]
    crawler.spider.args = type("Args", (), {"base_url": origin})()  # type: ignore[attr-defined]
    guard = OriginGuardMiddleware(crawler)
    refresh = (ScrapyMetaRefresh if shipped else MetaRefreshMiddleware).from_crawler(crawler)
    # Shipped: the guard as it was, Scrapy's reading of every HTML page.
    guard_check = _shipped_guard(guard) if shipped else guard.process_response

    def read(response: HtmlResponse) -> Any:
        request = response.request
        assert request is not None
        guard_check(request, response)
        return refresh.process_response(request, response)

    return read


def _shipped_guard(guard: OriginGuardMiddleware) -> Callable[[Request, HtmlResponse], Any]:
    from scrapy.utils.response import get_meta_refresh

    def check(request: Request, response: HtmlResponse) -> Any:
        delay, target = get_meta_refresh(response, ignore_tags=guard._ignore_tags)
        if target and (delay or 0) < guard._max_delay and not guard.policy.allows(target):
            raise AssertionError("no replica page refreshes")
        return response

    return check


def per_page(read: Callable[[HtmlResponse], Any], origin: str, bodies: list[bytes]) -> float:
    spent = 0.0
    for _ in range(PASSES):
        batch = responses(origin, bodies)  # fresh: Scrapy caches its reading per response
        started = time.process_time()
        if isinstance(read, Batched):
            read.read(batch)
        else:
            for response in batch:
                read(response)
        spent += time.process_time() - started
    return spent / PASSES / len(bodies) * 1e6


def log_lines(formatter: LogFormatter, origin: str,
              bodies: list[bytes]) -> Callable[[HtmlResponse], Any]:
    spider = Spider.from_crawler(get_crawler(Spider, CRAWL_LOGGING), name="bench")
    engine_log, scraper_log = (logging.getLogger("scrapy.core.engine"),
                               logging.getLogger("scrapy.core.scraper"))

    def log(response: HtmlResponse) -> None:
        request = response.request
        assert request is not None
        crawled = formatter.crawled(request, response, spider)
        if crawled is not None:
            engine_log.log(*logformatter_adapter(crawled), extra={"spider": spider})
        item = {"url": response.url}
        scraped = formatter.scraped(item, response, spider)
        if scraped is not None:
            scraper_log.log(*logformatter_adapter(scraped), extra={"spider": spider,
                                                                   "item": item})

    return log


def item_dispatch(fanned: bool) -> Callable[[HtmlResponse], Any]:
    crawler = get_crawler(Spider, CRAWL_LOGGING)
    for _ in range(2):  # Scrapy's own receivers: the feed exporter, core stats
        crawler.signals.connect(_Handler().item_scraped, signal=signals.item_scraped)
    handlers = [_Handler() for _ in range(3)]  # state commit, pending stories, tally
    for handler in handlers:
        if fanned:
            on_item_scraped(crawler, handler.item_scraped)
        else:
            crawler.signals.connect(handler.item_scraped, signal=signals.item_scraped)
    keep = [crawler, handlers]

    async def send_all(batch: list[HtmlResponse]) -> None:
        for response in batch:
            await crawler.signals.send_catch_log_async(
                signal=signals.item_scraped, item={"url": response.url}, response=response,
                spider=None)

    def send(batch: list[HtmlResponse]) -> None:
        assert keep
        LOOP.run_until_complete(send_all(batch))

    return Batched(send)


class Batched:
    """A reader of a whole batch at once (one event loop run for all the items)."""

    def __init__(self, read: Callable[[list[HtmlResponse]], None]) -> None:
        self.read = read

    def __call__(self, response: HtmlResponse) -> None:
        self.read([response])


class _Handler:
    def item_scraped(self, item: Any) -> None:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args(argv)
    origin, story_pages = replica_pages(args.articles)
    saved = [path.read_bytes() for path in SAVED]
    quiet = LevelAwareLogFormatter(debug=False)
    cases: dict[str, tuple[Callable[[HtmlResponse], Any], Callable[[HtmlResponse], Any],
                           list[bytes]]] = {
        f"meta refresh, {len(story_pages)} replica pages":
            (readers(origin, True), readers(origin, False), story_pages),
        f"meta refresh, {len(saved)} saved site pages":
            (readers(origin, True), readers(origin, False), saved),
        "log lines (a response and an item)":
            (log_lines(LogFormatter(), origin, story_pages),
             log_lines(quiet, origin, story_pages), story_pages),
        "item_scraped, 5 receivers (an item)":
            (item_dispatch(False), item_dispatch(True), story_pages),
    }
    configure_logging(Settings(CRAWL_LOGGING))
    for name, (before, after, bodies) in cases.items():  # the same verdict on every page
        for response in responses(origin, bodies):
            assert before(response) is after(response), name
    timings: dict[tuple[str, bool], list[float]] = {}
    for n in range(args.rounds):
        for name, (before, after, bodies) in cases.items():
            pair = [(True, before), (False, after)]
            for shipped, read in pair if n % 2 == 0 else pair[::-1]:
                timings.setdefault((name, shipped), []).append(per_page(read, origin, bodies))
    print(f"CPU µs per page, medians of {args.rounds} rounds; load "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'':<42}{'Scrapy':>9}{'crawl':>9}{'saved':>9}{'ratio':>8}")
    for name in cases:
        before = statistics.median(timings[(name, True)])
        after = statistics.median(timings[(name, False)])
        print(f"{name:<42}{before:>9.1f}{after:>9.1f}{before - after:>9.1f}"
              f"{after / before:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
