"""StateCommitExtension: a story becomes "seen" only once the feed holding it is stored.

The contract, which makes a run safe to kill at any point (exactly once for the default feeds):

0. Before the crawl starts (``from_crawler``), ``newscrawl.state.recovery`` looks for runs the
   store still calls ``running`` whose story feed ``<data_dir>/runs/<run_id>.jsonl`` is in
   place: such a run was killed after publishing its feed and before committing it. The feed
   is the source of truth: its stories are committed from the file (records already stored at
   that version are skipped) and the run is closed as ``incomplete``.
1. ``DedupePipeline`` and ``VersionPipeline`` read the store (indexed lookups) and
   ``VersionPipeline`` *stages* each story it emits: held for this run, nothing written to
   the state.
2. On ``item_scraped`` this extension notes, for every feed whose filter takes the item (the
   FeedExporter's own ``ItemFilter`` objects), that the feed now holds it.
3. On ``feed_slot_closed`` (Scrapy sends it after the slot's storage ``store()`` returned, and
   also when it raised), the slot is checked: no failed store of its storage type in the run
   (``feedexport/failed_count/<Storage>``) and, for a local file, the file exists and is
   fsynced. The slot's ``itemcount`` items are then taken, oldest first, from that feed's list.
   A story held by every feed that took it is **committed**: written to the store in one
   transaction per slot. A story in a slot that failed is never committed in this run.
4. On ``feed_exporter_closed`` the run is closed in the store: ``ok`` when every emitted story
   was committed, the crawl finished (``finish_reason`` "finished") and the spider's listing
   walk was complete (``CrawlState.walk_complete``: every section's), ``incomplete`` otherwise;
   each section whose own walk was complete moves its stop point (``CrawlState.walks``); unchanged
   stories get their ``last_seen`` and the pending stories (``newscrawl.state.pending``) are
   written back. Only a walk completed in a run whose stories all reached the state sets its
   section's next catch-up story.
5. A commit the store refuses (``StateError``: disk full, read-only, locked) fails the run
   (``newscrawl.crawl_failure``: exit 1). The run is then left ``running`` in the
   store and nothing more is written: its feed is published, so step 0 of the next run commits
   its stories from the feed, exactly as after a kill between publishing and committing.

So, whatever the kill point: before the feed is published, nothing of the run was emitted or
committed and the next run emits its stories (same versions); between the rename and the commit
transaction, step 0 of the next run commits them from the feed and does not emit them again;
after the commit, they are seen. Every story reaches the published feeds exactly once.

A feed outside ``runs/`` (``-O``/``-o``, a remote storage) is not read back: killed in the
instant between its store and the commit, its stories are emitted again by the next run
(at-least-once, never lost, same versions: a reader keys records on ``(id, version)``). Batched
feeds (``batch_item_count``) commit slot by slot. With no feed at all nothing is ever
committed, and a warning says so.
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

from newscrawl.crawl_failure import fail
from newscrawl.item_signals import on_item_scraped
from newscrawl.items import StoryItem
from newscrawl.state.crawl import CrawlState, crawl_state_for, utc_now
from newscrawl.state.recovery import recover_published_feeds
from newscrawl.state.store import StateError

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
        self._commit_error: StateError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        state = crawl_state_for(crawler)
        store = state.open_store()  # now: a bad state file must stop the crawl before it starts
        extension = cls(crawler, state, crawler.stats)
        # Before the spider and the pipelines read the store: what a killed run published is
        # known to this run, and not emitted again.
        recovered = recover_published_feeds(
            store, state.config.layout.runs, state.config.minhash_permutations, utc_now()
        )
        if recovered.runs:
            crawler.stats.set_value(f"{STATS_PREFIX}/recovered_runs", len(recovered.runs))
            crawler.stats.set_value(f"{STATS_PREFIX}/recovered", recovered.stories)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        on_item_scraped(crawler, extension.item_scraped)
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
        if not story_ids or self._commit_error is not None:
            return
        try:
            committed = self._state.store.commit(self._state.run_id, story_ids)
        except StateError as error:
            self._commit_failed(error)
            return
        self._stats.inc_value(f"{STATS_PREFIX}/committed", committed)
        logger.info("State: %d stories recorded as seen", committed)

    def _commit_failed(self, error: StateError) -> None:
        self._commit_error = error
        self._stats.set_value(f"{STATS_PREFIX}/commit_failed", str(error))
        fail(self._crawler, f"the state store did not record the run: {error}")

    def _finish(self) -> None:
        self._finished = True
        if self._commit_error is not None:
            # Left "running": the next run commits the published feed (see step 5).
            self._state.store.discard_staged()
            return
        try:
            self._close_run()
        except StateError as error:
            self._commit_failed(error)

    def _close_run(self) -> None:
        store = self._state.store
        store.touch(self._state.unchanged_ids, utc_now())
        if self._state.pending_stories is not None:
            self._state.pending_stories.save(store, utc_now())
        uncommitted = len(self._waiting) + len(self._lost)
        discarded = store.discard_staged()
        short = self._cut_short()
        sound = not uncommitted and not self._failed_feeds and bool(self._filters)
        ok = sound and not short
        # A section whose own walk completed moves its stop point even when another section's
        # walk stopped short; nothing moves when stories may be missing from the state.
        walked = self._state.walked_sections() if sound and not self._finish_reason_short() \
            else []
        store.finish_run(self._state.run_id, utc_now(), "ok" if ok else "incomplete",
                         walked=walked)
        if short:
            logger.info("State: run recorded as incomplete (%s): the next run pages the listing "
                        "back past it", short)
        if uncommitted:
            self._stats.set_value(f"{STATS_PREFIX}/uncommitted", uncommitted)
            logger.warning(
                "State: %d emitted stories were not recorded as seen (their feed was not "
                "stored); the next run emits them again",
                uncommitted,
            )
        if discarded:
            self._stats.set_value(f"{STATS_PREFIX}/discarded", discarded)

    def _finish_reason_short(self) -> str | None:
        reason = self._stats.get_value("finish_reason")  # CoreStats sets it before we finish
        return f"finish reason {reason}" if reason not in (None, "finished") else None

    def _cut_short(self) -> str | None:
        """Why the crawl may have missed stories it would otherwise have reached, if it may."""
        finish = self._finish_reason_short()
        if finish:
            return finish
        if self._state.walk_complete is False:
            return "the listing walk stopped short"
        return None

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
