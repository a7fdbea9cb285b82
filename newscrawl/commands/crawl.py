"""``scrapy crawl``: Scrapy's command, with the spider's arguments checked before start-up."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newscrawl.commands.spider_arguments import check_spider_arguments


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_spider_arguments(args[0] if args else None, opts.spargs)
