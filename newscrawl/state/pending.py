"""Pending stories: every story URL a run meets and does not publish is remembered, retried
first by the next runs, and given up only after several runs. No story is lost for good
because one run could not fetch it.

A story URL admitted for fetching (found in a listing, the feed or a link, and not stored yet)
is *pending* until a feed holding its record is committed: ``StateStore.commit`` removes it in
the same transaction. What a run did with each URL decides what the store keeps:

- **published** (committed): removed; a pending story published this run counts as
  ``newscrawl/pending/published``.
- **failed** (no usable response after Scrapy's retries: HTTP error, timeout, dropped or
  truncated connection, off-site redirect) or **quarantined** (the page was no article, or its
  record failed validation): one more failed attempt, with the reason as ``last_error``.
  Quarantined pages count like failed fetches (decided so: the site may repair a page, so it
  is tried again, but a page broken for good must not be fetched forever). A story that
  failed in k runs waits 2**(k-1) runs: the next run retries it, then the one after next, then
  4 runs later, then 8. After ``NEWSCRAWL_PENDING_GIVE_UP_RUNS`` failed runs (default 5, i.e.
  about 15 runs) it is **given up**: kept in the store with its last error, listed by
  ``newscrawl state stats``, never requested again until ``newscrawl state retry``.
- **settled**: the URL holds no story to publish (its page is of another section, it
  redirected elsewhere, it is older than ``since``): removed, counted by reason.
- **not reached** (the run was cut short before the request was done): kept as it was, no
  attempt counted; a new one is due on the next run.

Every run requests the due pending stories before the listing. A pending story met again in
a listing while it waits out its backoff, or given up, is not fetched (``wants``).

The monitors (``PendingMonitor``) read the counts this module puts in the crawl stats: a run
that leaves stories pending is healthy only if all of them are new this run and no more than
``NEWSCRAWL_MAX_NEW_PENDING``. Quarantined pages are reported by the quarantine feed and are
counted apart (``newscrawl/pending/quarantined``), not as a health problem.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from scrapy.statscollectors import StatsCollector

from newscrawl.state.store import PendingEntry, StateStore
from newscrawl.urls import story_id

logger = logging.getLogger(__name__)

PREFIX: Final = "newscrawl/pending"
LOADED: Final = f"{PREFIX}/loaded"  # waiting (not given up) when the run started
RETRIED: Final = f"{PREFIX}/retried"  # requested again by this run
DEFERRED: Final = f"{PREFIX}/deferred"  # met again while waiting out their backoff
SKIPPED_GIVEN_UP: Final = f"{PREFIX}/skipped_given_up"  # met again, given up: not fetched
PUBLISHED: Final = f"{PREFIX}/published"  # pending from an earlier run, published now
LEFT: Final = f"{PREFIX}/left"  # waiting when the run ended (quarantined ones included)
LEFT_NEW: Final = f"{PREFIX}/left_new"  # of those, first met this run, not quarantined
LEFT_OLD: Final = f"{PREFIX}/left_old"  # of those, met by an earlier run, not quarantined
QUARANTINED: Final = f"{PREFIX}/quarantined"  # waiting because their page was quarantined
GAVE_UP: Final = f"{PREFIX}/gave_up"  # given up by this run
GIVEN_UP: Final = "newscrawl/given_up"  # given up in total, as the store will hold it
SETTLED: Final = f"{PREFIX}/settled/"  # + reason
NOT_COMMITTED: Final = "not-committed"  # emitted, but its feed was not stored
MAX_ERROR: Final = 300  # characters of the last error kept

Outcome = Literal["emitted", "failed", "quarantined", "settled"]
# Most stories of a run end emitted: one tuple for all of them, not ~60 bytes each to the end.
_EMITTED: Final[tuple[Outcome, str]] = ("emitted", NOT_COMMITTED)
_NO_OUTCOME: Final[tuple[None, str]] = (None, "")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    give_up_runs: int = 5

    @staticmethod
    def backoff(attempts: int) -> int:
        """Runs to wait after the ``attempts``-th failed run: 1 (the next run), 2, 4, 8..."""
        return int(2 ** max(attempts - 1, 0))

    def due(self, entry: PendingEntry, run: int) -> bool:
        return entry.given_up is None and entry.due_run <= run

    def after_failure(self, entry: PendingEntry, error: str, *, quarantined: bool, run: int,
                      now: str) -> PendingEntry:
        attempts = entry.attempts + 1
        return replace(
            entry, attempts=attempts, last_error=error, last_tried=now,
            due_run=run + self.backoff(attempts), quarantined=quarantined,
            given_up=now if attempts >= self.give_up_runs else None,
        )


@dataclass(frozen=True, slots=True)
class PendingSummary:
    """What the run leaves pending; the crawl stats and the monitors carry these counts."""

    left: int = 0
    left_new: int = 0
    left_old: int = 0
    quarantined: int = 0
    gave_up: int = 0
    given_up: int = 0
    published: int = 0

    def to_stats(self) -> dict[str, int]:
        return {LEFT: self.left, LEFT_NEW: self.left_new, LEFT_OLD: self.left_old,
                QUARANTINED: self.quarantined, GAVE_UP: self.gave_up, GIVEN_UP: self.given_up,
                PUBLISHED: self.published}


@dataclass
class PendingStories:
    """One run's view of the pending stories: loaded at start, updated as the run meets them,
    written back by ``save`` (after the run's last commit, see ``StateCommitExtension``)."""

    run: int
    policy: RetryPolicy
    stored: Collection[str]  # story ids stored when the run started: never pending
    entries: dict[str, PendingEntry]  # by story id: the store's, then the ones met this run
    stats: StatsCollector | None = None
    outcomes: dict[str, tuple[Outcome, str]] = field(default_factory=dict)

    @classmethod
    def for_run(cls, store: StateStore, policy: RetryPolicy, stored: Collection[str],
                stats: StatsCollector | None = None) -> PendingStories:
        run, entries = store.begin_pending()
        pending = cls(run, policy, stored, {e.id: e for e in entries}, stats)
        waiting = sum(1 for e in entries if e.given_up is None)
        pending._count(LOADED, waiting)
        logger.info("%d stories pending from earlier runs (%d due now), %d given up", waiting,
                    len(pending.due()), len(entries) - waiting)
        return pending

    @classmethod
    def detached(cls) -> PendingStories:
        """No store behind it, nothing pending: what a spider holds until its run starts."""
        return cls(0, RetryPolicy(), frozenset(), {})

    def due(self) -> list[PendingEntry]:
        """The stored entries this run retries, oldest first."""
        return [e for e in self.entries.values() if self.policy.due(e, self.run)
                and e.first_run < self.run]

    def wants(self, url: str) -> bool:
        """False for a pending story that waits out its backoff, or was given up."""
        entry = self.entries.get(story_id(url))
        if entry is None or entry.first_run == self.run:
            return True
        if entry.given_up is not None:
            self._count(SKIPPED_GIVEN_UP)
            return False
        if not self.policy.due(entry, self.run):
            self._count(DEFERRED)
            return False
        return True

    def admitted(self, url: str, via: str, referrer: str, now: str) -> None:
        """A story URL the run requests: pending from now on, unless it is stored already."""
        sid = story_id(url)
        if sid in self.stored:
            return
        entry = self.entries.get(sid)
        if entry is None:
            self.entries[sid] = PendingEntry(sid, url, via, referrer, now, self.run,
                                             due_run=self.run)
        elif entry.first_run < self.run:
            self._count(RETRIED)

    def failed(self, url: str, reason: str) -> None:
        self._note(url, ("failed", reason[:MAX_ERROR]))

    def quarantined(self, url: str, reason: str) -> None:
        self._note(url, ("quarantined", reason[:MAX_ERROR]))

    def emitted(self, url: str) -> None:
        self._note(url, _EMITTED)

    def settled(self, url: str, reason: str) -> None:
        """The URL holds no story to publish: forgotten, whatever else the run saw of it."""
        sid = story_id(url)
        if sid in self.entries:
            self.outcomes[sid] = ("settled", reason)
            self._count(SETTLED + reason)

    def _note(self, url: str, noted: tuple[Outcome, str]) -> None:
        sid = story_id(url)
        if sid not in self.entries:
            return  # stored already (a revisit), or never admitted (a redirect's target)
        # The first outcome holds (a failed fetch, then its quarantined error page), except
        # that a record emitted at last (a render that failed, then the plain record) wins.
        if sid not in self.outcomes or noted[0] == "emitted":
            self.outcomes[sid] = noted

    def updated(self, now: str) -> tuple[list[PendingEntry], list[str]]:
        """The entries to write and the ids to remove, as this run leaves them."""
        return list(self._writes(now)), self._settled()

    def _writes(self, now: str) -> Iterator[PendingEntry]:
        """The entries to write, one at a time: at the close of a first run every story of
        the run is one, and a list of them all added ~1 MB to the run's peak at 10,000."""
        for sid, entry in self.entries.items():
            outcome, reason = self.outcomes.get(sid, _NO_OUTCOME)
            if outcome == "settled":
                continue
            if outcome is None:
                if entry.first_run == self.run:
                    yield entry  # met, not reached: due on the next run
            else:
                # An emitted story is written too: if its feed was stored, the commit made it
                # a stored story and ``save_pending`` skips it; if not, it failed this run.
                yield self.policy.after_failure(
                    entry, reason, quarantined=outcome == "quarantined", run=self.run, now=now)

    def _settled(self) -> list[str]:
        return [sid for sid in self.entries
                if self.outcomes.get(sid, _NO_OUTCOME)[0] == "settled"]

    def summary(self, now: str) -> PendingSummary:
        """The counts as they will be once the emitted stories are committed."""
        before = self.entries
        after = {e.id: e for e in self._writes(now)
                 if self.outcomes.get(e.id, _NO_OUTCOME)[0] != "emitted"}
        for sid, entry in before.items():
            if sid not in self.outcomes and entry.first_run < self.run:
                after[sid] = entry  # not met this run: as it was
        waiting = [e for e in after.values() if e.given_up is None]
        fetch = [e for e in waiting if not e.quarantined]
        return PendingSummary(
            left=len(waiting),
            left_new=sum(1 for e in fetch if e.first_run == self.run),
            left_old=sum(1 for e in fetch if e.first_run < self.run),
            quarantined=len(waiting) - len(fetch),
            gave_up=sum(1 for e in after.values()
                        if e.given_up is not None and before[e.id].given_up is None),
            given_up=len(after) - len(waiting),
            published=sum(1 for sid, (outcome, _) in self.outcomes.items()
                          if outcome == "emitted" and before[sid].first_run < self.run),
        )

    def save(self, store: StateStore, now: str) -> int:
        return store.save_pending(self._writes(now), self._settled())

    def _count(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
