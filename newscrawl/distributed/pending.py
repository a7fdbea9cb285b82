"""Pending stories shared by the workers of a crawl (see ``newscrawl.state.pending``).

A single process meets a story (admits it) and decides what became of it. Among workers one
may find a story in a listing and another fetch it, so each worker keeps its own view and the
shared store joins them (``RedisStateStore.merge_pending``):

- every worker of a crawl counts as the same pending run (``begin_crawl_pending``), so
  backoffs are counted in crawls, not in worker starts, and every worker requests the same due
  stories (the shared dupefilter lets one of them fetch each, which counts it retried);
- the worker that fetched a story decides its fate (failed, quarantined, emitted, settled),
  adopting it when another worker found it; the finder's "met" entry never overwrites that
  outcome, whichever worker finishes first;
- a story published by any worker is not pending (its commit removes it; a later save skips
  it): a story pending on worker A and published by worker B is settled, not retried, never
  given up.

What a worker puts in its stats (``PendingSummary``, read by its monitors) is what it decided
itself, plus the stories nobody could fetch this run (waiting out a backoff, given up), which
every worker reports alike: a due story this worker did not fetch, or one it found and another
fetched, is the other worker's to report.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from scrapy.statscollectors import StatsCollector

from newscrawl.state.crawl import CrawlState, utc_now
from newscrawl.state.pending import (
    LOADED,
    RETRIED,
    Outcome,
    PendingStories,
    PendingSummary,
    RetryPolicy,
)
from newscrawl.state.store import PendingEntry, StateStore
from newscrawl.urls import is_site_article, story_id

logger = logging.getLogger(__name__)


@runtime_checkable
class SharedPendingStore(Protocol):
    """What a store offers workers beyond ``StateStore`` (``RedisStateStore`` does)."""

    def begin_crawl_pending(self, crawl_id: str) -> tuple[int, list[PendingEntry]]: ...

    def merge_pending(self, run: int, decided: Iterable[PendingEntry],
                      met: Iterable[PendingEntry], settled: Iterable[str]) -> int: ...


@dataclass
class SharedPendingStories(PendingStories):
    shared: SharedPendingStore | None = None

    def admitted(self, url: str, via: str, referrer: str, now: str) -> None:
        # Every worker requests the due stories; the one that fetches each counts it retried.
        if story_id(url) not in self.entries:
            super().admitted(url, via, referrer, now)

    def _note(self, url: str, noted: tuple[Outcome, str]) -> None:
        self._fetched(url)
        super()._note(url, noted)

    def settled(self, url: str, reason: str) -> None:
        self._fetched(url)
        super().settled(url, reason)

    def _fetched(self, url: str) -> None:
        sid = story_id(url)
        entry = self.entries.get(sid)
        if entry is None:
            self._adopt(url)
        elif entry.first_run < self.run and sid not in self.outcomes:
            self._count(RETRIED)

    def _adopt(self, url: str) -> None:
        """A story another worker found and this one fetched: its outcome is this worker's."""
        sid = story_id(url)
        if sid in self.entries or sid in self.stored or not is_site_article(url):
            return
        # How it was found is the finder's to say (``merge_pending`` keeps the finder's).
        self.entries[sid] = PendingEntry(sid, url, "", "", utc_now(), self.run,
                                         due_run=self.run)

    def summary(self, now: str) -> PendingSummary:
        mine = {sid: entry for sid, entry in self.entries.items()
                if sid in self.outcomes
                or (entry.first_run < self.run and not self.policy.due(entry, self.run))}
        return PendingStories.summary(replace(self, entries=mine), now)

    def save(self, store: StateStore, now: str) -> int:
        assert self.shared is not None
        write, settled = self.updated(now)
        decided = [e for e in write if e.id in self.outcomes]
        met = [e for e in write if e.id not in self.outcomes]
        return self.shared.merge_pending(self.run, decided, met, settled)


def open_shared_pending(state: CrawlState, stored: Collection[str], stats: StatsCollector,
                        crawl_id: str) -> PendingStories:
    """The worker's pending stories, in the shared store; detached (none kept) when the state
    is not shared (a SQLite file cannot count one run for many workers)."""
    shared = state.store
    if not isinstance(shared, SharedPendingStore):
        logger.warning("the state at %s is not shared by the workers: this crawl keeps no "
                       "pending stories (use NEWSCRAWL_STATE=redis://…)", shared.location)
        return PendingStories.detached()
    run, entries = shared.begin_crawl_pending(crawl_id)
    policy = RetryPolicy(give_up_runs=state.config.pending_give_up_runs)
    pending = SharedPendingStories(run, policy, stored, {e.id: e for e in entries}, stats,
                                   shared=shared)
    waiting = sum(1 for e in entries if e.given_up is None)
    stats.inc_value(LOADED, waiting)
    logger.info("%d stories pending from earlier runs (%d due in this run %d), %d given up",
                waiting, len(pending.due()), run, len(entries) - waiting)
    state.pending_stories = pending
    return pending
