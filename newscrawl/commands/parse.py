"""``scrapy parse``: Scrapy's command, with the spider's arguments checked before start-up, and
its crawl kept away from the project's data.

``scrapy parse --spider=aseanplus URL`` runs a crawler with the project's settings, so the
crawl's feeds, run manifest and state store would be the real ones: one look at a page would
leave an empty run in ``runs/`` and a run in the state. Unless ``-s NEWSCRAWL_DATA_DIR`` or
``-s NEWSCRAWL_STATE`` says otherwise, both point into a temporary directory, removed at exit.
"""

from __future__ import annotations

import argparse
import atexit
import shutil
import tempfile
from pathlib import Path

from scrapy.commands.parse import Command as ScrapyParseCommand

from newscrawl.commands.spider_arguments import check_spider_arguments

# Above the project's settings (and so the environment, which settings.py reads), below -s
# ("cmdline"); "command" would rank below the project's settings.
PRIORITY = "spider"


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_spider_arguments(opts.spider, opts.spargs)
        scratch = Path(tempfile.mkdtemp(prefix="newscrawl-parse-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        # Settings.set keeps a value of higher priority: -s still wins.
        assert self.settings is not None  # set by scrapy.cmdline before process_options
        self.settings.set("NEWSCRAWL_DATA_DIR", str(scratch / "data"), priority=PRIORITY)
        self.settings.set("NEWSCRAWL_STATE", str(scratch / "state.sqlite"), priority=PRIORITY)
