"""The names of the stats a crawl counts (the spider's, and Scrapy's own that the monitors and the
manifest read), for those readers.

Kept apart from the spider so that a reader (``newscrawl run``'s parent process, the monitors)
does not load Scrapy's engine and the browser just to name a number.
"""

from __future__ import annotations

from typing import Final

# Scrapy's own, counted for every spider.
REQUESTS: Final = "downloader/request_count"
ERRORS: Final = "log_count/ERROR"
RETRIES: Final = "retry/count"


def discovered(via: str) -> str:
    """Story links first found through ``via`` (``listing``, ``rss``, …), each counted once."""
    return f"newscrawl/discovered/{via}"


def known(via: str) -> str:
    """Story links found through ``via`` that the state already holds and the run skipped."""
    return f"newscrawl/known/{via}"


def items(via: str) -> str:
    """Story records made from links found through ``via``."""
    return f"newscrawl/items/{via}"


# The listing's share of the above: bad pages and failed fetches are the gap between LISTED and
# FOUND, and an incremental run on a quiet day lists only KNOWN_LISTED, which is no breakage.
LISTED: Final = discovered("listing")
FOUND: Final = items("listing")
KNOWN_LISTED: Final = known("listing")
# In-section story links shown per listing page, new or known: what the drift monitor watches.
LISTING_PAGES: Final = "newscrawl/listing_pages"
LISTING_LINKS: Final = "newscrawl/listing_links"
