"""``scrapy crawl``: Scrapy's command, with the spider's arguments checked before start-up, that
tells the truth: exit 1, with one line saying why, when the crawl failed (see
``newscrawl.crawl_failure``); Scrapy's own command exits 0 once a crawl started."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from newscrawl.commands.spider_arguments import check_spider_arguments
from newscrawl.crawl_failure import failures_of


class Command(ScrapyCrawlCommand):
    _ours: Crawler | None = None  # the crawler this command ran

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_spider_arguments(args[0] if args else None, opts.spargs)

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self._ours = super()._create_crawler(spidercls)
        return self._ours

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        failures = failures_of(self._ours) if self._ours is not None else ()
        if failures:
            print(f"newscrawl: crawl failed: {'; '.join(failures)}", file=sys.stderr)
            self.exitcode = 1
