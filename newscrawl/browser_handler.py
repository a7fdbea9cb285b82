"""scrapy-playwright's download handler, with Chromium launched before the crawl's first page.

The stock handler starts its Playwright driver as the engine starts (the engine waits for it)
and launches Chromium only at the first render. With ``render=auto`` that first render comes
once the listing and the first stories were fetched and parsed, and then Chromium's launch
(~30 round trips with the driver) competes with the crawl for the event loop that Scrapy and
Playwright share: 2-20 s on a busy machine, measured, against ~2 s with the loop idle.
Launched here, right after the driver, while the loop has nothing else to do, the browser is
ready by the time the first story is. Starting both in the background instead, beside the
listing walk, was slower still (the driver's start took 18 s of a busy loop).

A browser that cannot start is not an error here: the first render launches it again and
meets the error, exactly as with the stock handler, so the spider's "the browser did not
start" handling is unchanged.

It also keeps enough idle connections for every slot that may send to one host. Scrapy's HTTP
pool keeps ``CONCURRENT_REQUESTS_PER_DOMAIN`` of them per host, but a named slot of
``DOWNLOAD_SLOTS`` (the lists' own slot on a replica, whose list endpoint shares the site's
host) sends its own requests there besides: past the pool's size each response closed its
connection and a later request opened a new one (~360 reopened per 900 lists, measured).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

logger = logging.getLogger(__name__)


def persistent_per_host(settings: BaseSettings) -> int:
    """Idle connections to keep per host: a host's own slot and every named slot together."""
    per_domain = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    slots: dict[str, Any] = settings.getdict("DOWNLOAD_SLOTS")
    return per_domain + sum(int(slot.get("concurrency", per_domain)) for slot in slots.values())


class EarlyPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc]
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = persistent_per_host(crawler.settings)

    async def _maybe_launch_in_thread(self) -> None:
        """engine_started (connected by the stock handler): the driver, then the browser."""
        await super()._maybe_launch_in_thread()
        if not hasattr(self, "browser_provider"):
            return  # no driver: the stock handler's way
        try:
            await self._maybe_future_from_coro(self._maybe_launch_browser())
        except Exception as error:  # the first render launches it again and meets the error
            # Worded apart from the spider's one warning that the browser did not start, which
            # is the line users look for (and the only one, if the first render fails too).
            logger.info("early browser launch failed (%s); the first render tries again", error)
