"""The state one crawl shares between its pipelines and ``StateCommitExtension``.

Scrapy builds each component on its own; they meet here, one ``CrawlState`` per crawler: the
run id that names this run's feeds, the state store (opened once, on first use, so a bad state
file stops the crawl while components are built, before any request), and the small hand-offs
between stages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.config import NewscrawlConfig
from newscrawl.spiders.feeds import new_run_id
from newscrawl.state.pending import PendingStories, RetryPolicy
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StateError, StateStore, StoredStory


def open_state_store(path: Path, url: str | None = None) -> StateStore:
    """The store at ``path`` (``NEWSCRAWL_STATE``), or at ``url`` when it is a Redis URL.
    Raises ``StateError`` for a bad file or an unreachable or unknown URL."""
    if url is None:
        return SqliteStateStore(path)
    # Imported here: a single-process crawl needs no Redis client.
    from newscrawl.distributed.redis_store import RedisStateStore, is_redis_url

    if not is_redis_url(url):
        raise StateError(f"NEWSCRAWL_STATE={url!r}: a state URL must start with redis://")
    return RedisStateStore.from_url(url)


@dataclass(frozen=True, slots=True)
class PendingStory:
    signature: bytes
    signature_kind: str
    stored: StoredStory | None


@dataclass(eq=False)
class CrawlState:
    config: NewscrawlConfig
    run_id: str
    started_at: datetime
    # From DedupePipeline to VersionPipeline, per story id: what the first looked up or
    # computed and the second stages (one store lookup per story instead of two).
    pending: dict[str, PendingStory] = field(default_factory=dict)
    # Stories seen again unchanged: not emitted, only their last_seen is updated at the end.
    unchanged_ids: list[str] = field(default_factory=list)
    # Whether the spider paged the listing back as far as it had to (to the end, or to known
    # stories past the catch-up story); None for a spider that walks no listing. A run that
    # stopped short is not "ok", so the next one still pages back past it.
    walk_complete: bool | None = None
    # Per section (key): whether its walk went as far as it had to. Only a section whose walk
    # completed in a run that is otherwise sound moves its stop-when-seen point
    # (``StateStore.finish_run``); ``walk_complete`` is True once every one did.
    walks: dict[str, bool] = field(default_factory=dict)
    # The run's pending stories, once the spider loaded them; saved after the last commit.
    pending_stories: PendingStories | None = None
    _store: StateStore | None = None

    def begin_walks(self, keys: Collection[str]) -> None:
        """The run walks these sections' listings; none is complete yet."""
        self.walks = dict.fromkeys(keys, False)
        self.walk_complete = False if self.walks else None

    def walked(self, key: str) -> None:
        """The walk of section ``key`` went as far as it had to."""
        self.walks[key] = True
        self.walk_complete = all(self.walks.values())

    def walked_sections(self) -> list[str] | None:
        """The sections whose walk completed; None for a crawl that tracked none by name."""
        return [key for key, done in self.walks.items() if done] if self.walks else None

    @property
    def store(self) -> StateStore:
        return self.open_store()

    def open_store(self) -> StateStore:
        """The store, opened on first use; raises ``StateError`` for a bad state file."""
        if self._store is None:
            self._store = open_state_store(self.config.state_path, self.config.state_url)
        return self._store

    def open_pending(self, stored: Collection[str], stats: StatsCollector) -> PendingStories:
        """Load the pending stories for this run (counted as one more run that retries them)."""
        policy = RetryPolicy(give_up_runs=self.config.pending_give_up_runs)
        self.pending_stories = PendingStories.for_run(self.store, policy, stored, stats)
        return self.pending_stories

    @property
    def store_opened(self) -> bool:
        return self._store is not None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


_STATES: WeakKeyDictionary[Crawler, CrawlState] = WeakKeyDictionary()


def crawl_state_for(crawler: Crawler) -> CrawlState:
    """The ``CrawlState`` of ``crawler``, created on first call."""
    state = _STATES.get(crawler)
    if state is None:
        config = NewscrawlConfig.from_settings(crawler.settings)
        state = CrawlState(
            config=config, run_id=new_run_id(config.run_id), started_at=datetime.now(UTC)
        )
        _STATES[crawler] = state
    return state


def utc_now() -> str:
    """Timestamps the store keeps: ISO 8601 UTC, so they sort as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
