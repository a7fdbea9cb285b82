"""StateCommitExtension: a story becomes "seen" only once the feed holding it is stored.

The contract, which makes a run safe to kill at any point:

1. ``DedupePipeline`` and ``VersionPipeline`` read the store (indexed lookups) and
   ``VersionPipeline`` *stages* each story it emits: in memory, nothing written.
2. On ``item_scraped`` this extension notes, for every feed whose filter takes the item (the
   FeedExporter's own ``ItemFilter`` objects), that the feed now holds it.
3. On ``feed_slot_closed`` (Scrapy sends it after the slot's storage ``store()`` returned, and
   also when it raised), the slot is checked: no failed store of its storage type in the run
   (``feedexport/failed_count/<Storage>``) and, for a local file, the file exists and is
   fsynced. The slot's ``itemcount`` items are then taken, oldest first, from that feed's list.
   A story held by every feed that took it is **committed**: written to the store in one
   transaction per slot. A story in a slot that failed is never committed in this run.
4. On ``feed_exporter_closed`` the run is closed in the store: ``ok`` when every emitted story
   was committed, ``incomplete`` otherwise; unchanged stories get their ``last_seen``.

So a run killed before a feed is stored commits none of its stories, and the next run emits
them again (with the same version: a reader keys records on ``(id, version)``). A run killed
in the instant between a feed's rename and the commit transaction also re-emits that slot's
stories next time: at-least-once, never lost. Batched feeds (``batch_item_count``) commit slot
by slot. With no feed at all nothing is ever committed, and a warning says so.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from pathlib import Path
from typing import Any, Final, Protocol, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter
from scrapy.statscollectors import StatsCollector

from newscrawl.items import StoryItem
from newscrawl.state.crawl import CrawlState, crawl_state_for, utc_now

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/state"


class ItemFilterLike(Protocol):
    def accepts(self, item: Any) -> bool: ...


class StateCommitExtension:
    def __init__(self, crawler: Crawler, state: CrawlState, stats: StatsCollector) -> None:
        self._crawler = crawler
        self._state = state
        self._stats = stats
        self._filters: dict[str, ItemFilterLike] = {}
        # Per feed: what it took, oldest first, not yet in a stored slot (a story id, or None
        # for another item, which still counts in the slot's itemcount).
        self._unstored: dict[str, deque[str | None]] = {}
        # Items a slot reported before their item_scraped reached us (handler order).
        self._owed: dict[str, int] = {}
        self._waiting: dict[str, int] = {}  # story id -> feeds that still have to store it
        self._lost: set[str] = set()  # in a slot that failed
        self._failed_feeds: set[str] = set()
        self._finished = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        state = crawl_state_for(crawler)
        state.open_store()  # now: a bad state file must stop the crawl before it starts
        extension = cls(crawler, state, crawler.stats)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.item_scraped, signal=signals.item_scraped)
        connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        exporter = self._feed_exporter()
        if exporter is None:
            logger.warning(
                "No feed is configured: the state store will not record any story of this run"
            )
        else:
            self.watch_feeds(exporter.filters)
        self._state.store.begin_run(self._state.run_id, self._state.started_at.isoformat())

    def watch_feeds(self, filters: dict[str, Any]) -> None:
        """Follow these feeds (URI template -> the FeedExporter's filter for it)."""
        self._filters = dict(filters)
        self._unstored = {uri: deque() for uri in self._filters}
        self._owed = dict.fromkeys(self._filters, 0)

    def item_scraped(self, item: Any) -> None:
        story_id = item.id if isinstance(item, StoryItem) else None
        accepted = holders = 0
        lost = False
        for uri, item_filter in self._filters.items():
            if not item_filter.accepts(item):
                continue
            accepted += 1
            if self._owed[uri]:  # its slot was already reported
                self._owed[uri] -= 1
                lost = lost or uri in self._failed_feeds
            else:
                self._unstored[uri].append(story_id)
                holders += 1
        if story_id is None:
            return
        if not accepted:
            self._stats.inc_value(f"{STATS_PREFIX}/in_no_feed")
        elif lost:
            self._lost.add(story_id)
        elif holders:
            self._waiting[story_id] = holders
        else:
            self._commit([story_id])

    def feed_slot_closed(self, slot: Any) -> None:
        uri = slot.uri_template
        if uri not in self._unstored:
            return
        stored = _slot_is_stored(slot, self._stats)
        if not stored:
            self._failed_feeds.add(uri)
            logger.error(
                "Feed %s was not stored: its stories stay unseen for the next run", slot.uri
            )
        pending = self._unstored[uri]
        taken = min(slot.itemcount, len(pending))
        self._owed[uri] += slot.itemcount - taken
        ready: list[str] = []
        for _ in range(taken):
            story_id = pending.popleft()
            if story_id is None or story_id not in self._waiting:
                continue
            if not stored:
                self._lost.add(story_id)
                del self._waiting[story_id]
                continue
            self._waiting[story_id] -= 1
            if self._waiting[story_id] == 0:
                del self._waiting[story_id]
                ready.append(story_id)
        self._commit(ready)

    def feed_exporter_closed(self) -> None:
        self._finish()

    def engine_stopped(self) -> None:
        if not self._finished:
            self._finish()
        self._state.close()

    def _commit(self, story_ids: list[str]) -> None:
        if not story_ids:
            return
        committed = self._state.store.commit(self._state.run_id, story_ids)
        self._stats.inc_value(f"{STATS_PREFIX}/committed", committed)
        logger.info("State: %d stories recorded as seen", committed)

    def _finish(self) -> None:
        self._finished = True
        store = self._state.store
        store.touch(self._state.unchanged_ids, utc_now())
        uncommitted = len(self._waiting) + len(self._lost)
        discarded = store.discard_staged()
        ok = not uncommitted and not self._failed_feeds and bool(self._filters)
        store.finish_run(self._state.run_id, utc_now(), "ok" if ok else "incomplete")
        if uncommitted:
            self._stats.set_value(f"{STATS_PREFIX}/uncommitted", uncommitted)
            logger.warning(
                "State: %d emitted stories were not recorded as seen (their feed was not "
                "stored); the next run emits them again",
                uncommitted,
            )
        if discarded:
            self._stats.set_value(f"{STATS_PREFIX}/discarded", discarded)

    def _feed_exporter(self) -> FeedExporter | None:
        try:
            extensions = self._crawler.extensions.middlewares
        except RuntimeError:  # not built yet: no crawl is running
            return None
        for extension in extensions:
            if isinstance(extension, FeedExporter):
                return extension
        return None


def _slot_is_stored(slot: Any, stats: StatsCollector) -> bool:
    storage = slot.storage
    if stats.get_value(f"feedexport/failed_count/{type(storage).__name__}", 0):
        return False  # which slot failed is not said; assume any of this storage type did
    path = getattr(storage, "path", None)
    if path is None:
        return True  # a remote storage: store() returning without error is all we can know
    try:
        fd = os.open(Path(path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        logger.error("Feed file %s cannot be confirmed on disk: %s", path, exc)
        return False
    return True
