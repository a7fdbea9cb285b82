"""A story's "Others Also Read" list fetched by a learned rule from within the story's callback.

A list request used to make a round trip of its own through Scrapy: scheduled, dequeued,
downloaded, then its response handed to the spider middlewares and a callback of its own while
the story waited in the spider. Profiled (remote replica, run from a stored rule), the
scheduler and spider-middleware part of that trip cost about as much crawler CPU as the
download itself. Here the story's callback awaits ``engine.download_async``: the downloader
middlewares still run (robots.txt, the origin guard, retries, user agent, stats) and the request
still waits for its downloader slot (per-host concurrency and delay), only the scheduler and the
spider middlewares are left out, and the story needs no holding across callbacks.

While the list is on its way the story's response counts in the scraper's active size
(``SCRAPER_SLOT_MAX_ACTIVE_SIZE``), so a slow list service slows the reading of new pages
instead of filling memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from scrapy import Request
from scrapy.http import Response

from newscrawl.origins import Origin, origin_of
from newscrawl.others.rule import ListRule
from newscrawl.spiders.failures import one_line

if TYPE_CHECKING:
    from newscrawl.spiders.others_list import OthersLists
    from newscrawl.spiders.thestar import PendingStory

logger = logging.getLogger(__name__)

# Lists fetched at once by one callback: a story's own is one, but the stories held while a
# rule was learned are released together, and their lists must not go one after the other.
# More than the list slot's concurrency would only wait in the slot, each with a whole page.
MAX_IN_FLIGHT: Final = 16

Fetch = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class ListFetch:
    """What the glue yields for a list a rule fetches: ``request`` for ``story``'s list."""

    story: PendingStory
    rule: ListRule
    request: Request


class ListFetcher:
    """Turns the glue's output into the spider's: each ``ListFetch`` becomes what its
    response gives (the story's record, or a render when the list could not be had)."""

    def __init__(self, others: OthersLists) -> None:
        self.others = others
        # None: the engine's downloader; a test may answer from elsewhere.
        self.fetch: Fetch | None = None
        self._services: set[Origin | None] = set()

    async def resolve(self, outputs: Iterable[Any]) -> AsyncIterator[Any]:
        pending: set[asyncio.Future[Iterator[Any]]] = set()
        try:
            for output in outputs:
                if not isinstance(output, ListFetch):
                    yield output
                    continue
                if len(pending) >= MAX_IN_FLIGHT:
                    done, pending = await asyncio.wait(
                        pending, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        async for result in self.resolve(task.result()):
                            yield result
                pending.add(asyncio.ensure_future(self._fetched(output)))
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    async for result in self.resolve(task.result()):
                        yield result
        finally:
            for task in pending:  # the crawl is stopping: nothing will read them
                task.cancel()

    async def _download(self, request: Request) -> Response:
        self._note_service(request.url)
        if self.fetch is not None:
            return await self.fetch(request)
        engine = self.others.spider.crawler.engine
        assert engine is not None, "lists are fetched only while the crawl runs"
        return await engine.download_async(request)

    def _note_service(self, url: str) -> None:
        # Once per origin, not per list: a rule's lists all go to one service, or a few.
        origin = origin_of(url)
        if origin not in self._services:
            self._services.add(origin)
            self.others.spider.origins.add_list_service(url)

    async def _fetched(self, fetch: ListFetch) -> Iterator[Any]:
        try:
            response = await self._download(fetch.request)
        except Exception as error:  # retries spent, robots.txt, the origin guard, …
            logger.info("list request failed (%s): %s", one_line(error), fetch.request.url)
            return self.others.direct_failed(fetch.story, type(error).__name__, fetch.rule)
        if not 200 <= response.status < 300:
            # What HttpErrorMiddleware (a spider middleware, left out here) would have raised.
            logger.info("list request failed (HTTP %s): %s", response.status, response.url)
            return self.others.direct_failed(fetch.story, "HttpError", fetch.rule)
        return self.others.direct(fetch.story, response, fetch.rule)
