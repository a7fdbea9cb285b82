"""The check ``scrapy crawl`` and ``scrapy parse`` run on ``-a NAME=VALUE`` before Scrapy starts.

The spider checks its arguments too, but only once the crawler is built, after a dozen lines of
Scrapy's start-up log: the one line that names the bad argument came last. Here it comes alone.
"""

from __future__ import annotations

import sys
from typing import Any, Final

from newscrawl.spiders.arguments import (
    KNOWN,
    KNOWN_SINGLE_SECTION,
    ArgumentError,
    SpiderArguments,
)

# The project's spiders and the ``-a`` names each takes.
SPIDERS: Final = {"aseanplus": KNOWN_SINGLE_SECTION, "thestar": KNOWN}
EXIT_BAD_ARGUMENT: Final = 2  # what Scrapy exits with on a usage error, and the spider too


def check_spider_arguments(spider: str | None, spargs: dict[str, Any]) -> None:
    """Exit with one line when the project's spider would refuse these arguments."""
    known = SPIDERS.get(spider or "")
    if known is None:
        return
    try:
        SpiderArguments.parse(spargs, known=known)
    except ArgumentError as error:
        print(f"newscrawl: {error}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_ARGUMENT) from None
