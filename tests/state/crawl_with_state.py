"""A tiny crawl through the real Scrapy machinery: pipelines, feeds and StateCommitExtension.

    python tests/state/crawl_with_state.py DATA_DIR RUN_ID [--die-before-feeds-close] SLUG...

The spider yields one story per slug (``bad-…`` slugs get an empty body and are quarantined),
then either ends normally or kills the process once the items are in the feed exporter, before
any feed is stored: what ``kill -9`` during a crawl does.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helper packages

from pipelines.stories import make_story
from scrapy import Spider
from scrapy.crawler import CrawlerProcess

from newscrawl.items import RECORD_FIELDS
from newscrawl.settings import EXTENSIONS, ITEM_PIPELINES
from newscrawl.spiders.feeds import default_feeds


class StoriesSpider(Spider):
    name = "stories"

    def __init__(self, slugs: list[str], die: bool, run_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.slugs = slugs
        self.die = die
        self.run_id = run_id

    async def start(self) -> AsyncIterator[Any]:
        for slug in self.slugs:
            yield make_story(slug, body="" if slug.startswith("bad-") else _body(slug))
        if self.die:
            await asyncio.sleep(0.5)  # every item is through the pipelines and exported
            os._exit(9)


# The production wiring, less everything that needs a real spider or a browser.
STATE_COMMIT = "newscrawl.state.commit.StateCommitExtension"


def _body(slug: str) -> str:
    return f"HANOI: Story {slug} happened on Thursday.\n\nIt is a distinct {slug} story. - Reuters"


def main(argv: list[str]) -> None:
    data_dir, run_id, *rest = argv
    die = "--die-before-feeds-close" in rest
    slugs = [s for s in rest if not s.startswith("--")]
    process = CrawlerProcess(
        {
            "NEWSCRAWL_DATA_DIR": data_dir,
            "NEWSCRAWL_STATE": str(Path(data_dir) / "state.sqlite"),
            "NEWSCRAWL_RUN_ID": run_id,
            "ITEM_PIPELINES": ITEM_PIPELINES,
            "EXTENSIONS": {STATE_COMMIT: EXTENSIONS[STATE_COMMIT]},
            "FEEDS": default_feeds(data_dir),
            "FEED_URI_PARAMS": "newscrawl.spiders.feeds.run_uri_params",
            "FEED_EXPORT_FIELDS": list(RECORD_FIELDS),
            "FEED_EXPORT_ENCODING": "utf-8",
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "INFO",
        }
    )
    process.crawl(StoriesSpider, slugs=slugs, die=die, run_id=run_id)
    process.start()


if __name__ == "__main__":
    main(sys.argv[1:])
