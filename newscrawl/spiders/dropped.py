"""Stories the crawl requested and then neither published nor quarantined, counted by reason.

Each such story increments ``newscrawl/dropped/<reason>`` exactly once, so a run's story pages
add up: published + quarantined + dropped. The run summary lists the reasons
(``newscrawl.runner.console``). Redirects that Scrapy's duplicate filter swallows (a loop back
to a page already fetched, or a story redirected to one already requested) reach no callback
and no errback: ``DroppedRedirectExtension`` counts them from the ``request_dropped`` signal.
"""

from __future__ import annotations

import logging
from typing import Final, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.urls import canonical_url

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/dropped/"


def count_dropped(stats: StatsCollector, reason: str) -> None:
    stats.inc_value(STATS_PREFIX + reason)


def dropped_by_reason(stats: dict[str, object]) -> dict[str, int]:
    """``{reason: count}`` from a run's stats, largest first."""
    found = {key.removeprefix(STATS_PREFIX): int(value) for key, value in stats.items()
             if key.startswith(STATS_PREFIX) and isinstance(value, int | float)}
    return dict(sorted(found.items(), key=lambda pair: (-pair[1], pair[0])))


class DroppedRedirectExtension:
    """Counts story requests that the scheduler's duplicate filter refused."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.request_dropped, signal=signals.request_dropped)
        return extension

    def request_dropped(self, request: Request) -> None:
        if "via" not in request.cb_kwargs:
            return  # not a story request (listing pages, the feed, robots.txt)
        hops = request.meta.get("redirect_urls")
        if not hops:
            # The spider asks for each story once, so a plain duplicate lost the race to a
            # redirect that landed on the same URL: that response stands for this one.
            count_dropped(self.stats, "merged-with-redirect")
            return
        target = canonical_url(request.url)
        loop = target in {canonical_url(hop) for hop in hops}
        reason = "redirect-loop" if loop else "redirect-to-seen"
        count_dropped(self.stats, reason)
        logger.warning("Dropped %s: %s redirects to %s, already requested", reason, hops[0],
                       request.url)
