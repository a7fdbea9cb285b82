"""DedupePipeline: one story per URL per run, and copies flagged with ``duplicate_of``.

- **URL**: the record ``id`` is derived from the canonical URL, so host, scheme, query, fragment
  and trailing-slash variants share it. A second record with an id already seen in this run is
  dropped (``newscrawl/dedupe/url``). Across runs the same URL is a new *version* or nothing:
  that is ``VersionPipeline``'s call, not a duplicate.
- **Exact content**: the same ``content_hash`` (cleaned title and body) at another URL, in this
  run or a stored one.
- **Near-duplicate**: MinHash of the body's word shingles (datasketch's recipe, computed in
  ``newscrawl.fingerprint``), matched with MinHashLSH's banding
  at ``NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD``. Stored signatures of stories published within
  ``NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS`` are loaded at open, so a wire story re-published
  days later at another URL is still caught; older ones stay on disk, not in memory.

A copy is still emitted (it is a page of the site) with ``duplicate_of`` = the id of the story
seen first, counted as ``newscrawl/dedupe/exact`` or ``newscrawl/dedupe/near``. Per item the
work is one indexed store lookup (by id and by content hash at once) plus in-memory LSH;
the store is never scanned.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from itertools import count
from typing import Any, Final, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.fingerprint import MinHashSignature, MinHashSigner, content_hash
from newscrawl.items import StoryItem
from newscrawl.pages.dates import MYT
from newscrawl.pipelines.near_duplicates import NearDuplicateIndex, Order
from newscrawl.state.crawl import CrawlState, PendingStory, crawl_state_for

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/dedupe"


def _hash_key(digest: str) -> bytes | str:
    """A content hash as the run's map of them keeps it: a sha256 hex digest as its 32 bytes
    (65 bytes of memory against 113, kept for every story to the end of the run); anything
    else as it is."""
    if len(digest) == 64:
        try:
            return bytes.fromhex(digest)
        except ValueError:
            pass
    return digest


class DedupePipeline:
    def __init__(self, state: CrawlState, stats: StatsCollector) -> None:
        config = state.config
        self._state = state
        self._store = state.store
        self._stats = stats
        self._signer = MinHashSigner(config.minhash_permutations)
        self._index = NearDuplicateIndex(config.near_duplicate_threshold, self._signer.num_perm)
        self._run_start = state.started_at.isoformat(timespec="microseconds")
        self._sequence = count(1)
        # This run's stories: content hash (``_hash_key``) -> first (order, id); id -> its
        # duplicate_of.
        self._first_by_hash: dict[bytes | str, tuple[Order, str]] = {}
        self._duplicate_of: dict[str, str | None] = {}
        # Other processes' stories of the same run, when a subclass shares them (workers).
        self._others_duplicate_of: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawl_state_for(crawler), crawler.stats)

    def open_spider(self) -> None:
        window = timedelta(days=self._state.config.near_duplicate_window_days)
        if not window:
            return
        # Published within the window of the run's now (NEWSCRAWL_NOW, else the clock).
        since = (self._state.config.now - window).astimezone(MYT).isoformat()
        loaded = skipped = 0
        for row in self._store.signatures(self._signer.kind, since):
            minhash = self._signer.from_bytes(row.signature)
            if minhash is None:
                skipped += 1
                continue
            self._index.add(row.id, (row.first_seen, 0), minhash)
            loaded += 1
        self._stats.set_value(f"{STATS_PREFIX}/signatures_loaded", loaded)
        if skipped:
            logger.warning("Ignored %d stored signatures of the wrong size", skipped)
        logger.info("Near-duplicate index: %d stored stories published since %s", loaded, since)

    def close_spider(self) -> None:
        self._index.close()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StoryItem):
            return item
        if item.id in self._duplicate_of:
            self._stats.inc_value(f"{STATS_PREFIX}/url")
            raise DropItem(f"URL already emitted in this run: {item.url}", log_level="DEBUG")
        if not item.content_hash:
            item.content_hash = content_hash(item.title, item.body)
        # One lookup (one round trip to a shared store) for both things the store is asked.
        found = self._store.lookup(item.id, item.content_hash)
        stored = found.stored
        minhash = self._signer.sign(item.body)
        order: Order = ((stored.first_seen, 0) if stored
                        else self._run_order(item.id, item.content_hash, minhash,
                                             found.same_content))
        item.duplicate_of = self._judge(item.id, item.content_hash, minhash, order,
                                        found.same_content)
        if item.duplicate_of:
            logger.debug("%s is a duplicate of %s", item.url, item.duplicate_of)
        self._duplicate_of[item.id] = item.duplicate_of
        self._state.pending[item.id] = PendingStory(
            self._signer.to_bytes(minhash), self._signer.kind, stored
        )
        return item

    def _run_order(self, story_id: str, digest: str, minhash: MinHashSignature,
                   same_content: Sequence[tuple[str, str]]) -> Order:
        """Where a story not stored before stands among this run's: in order of arrival."""
        return (self._run_start, next(self._sequence))

    def _judge(self, story_id: str, digest: str, minhash: MinHashSignature, order: Order,
               same_content: Sequence[tuple[str, str]], *, counted: bool = True) -> str | None:
        """The story ``story_id`` is a copy of (seen before ``order``), or None; indexed.
        ``same_content``: ``(id, first_seen)`` of stored stories with its content hash."""
        key = _hash_key(digest)
        exact = self._first_exact(key, story_id, order, same_content)
        near = self._index.first_match(minhash, before=order, exclude=story_id)
        candidates = [(o, i, "exact") for o, i in ([exact] if exact else [])]
        if near is not None:
            candidates.append((near[1], near[0], "near"))
        duplicate_of = None
        if candidates:
            _, first_id, kind = min(candidates)
            duplicate_of = self._root(first_id)
            if counted:
                self._stats.inc_value(f"{STATS_PREFIX}/{kind}")
        self._index.add(story_id, order, minhash)
        known = self._first_by_hash.get(key)
        if known is None or order < known[0]:
            self._first_by_hash[key] = (order, story_id)
        return duplicate_of

    def _first_exact(self, key: bytes | str, own_id: str, before: Order,
                     same_content: Sequence[tuple[str, str]]) -> tuple[Order, str] | None:
        found = [((first_seen, 0), story_id) for story_id, first_seen in same_content]
        first = self._first_by_hash.get(key)
        if first is not None:
            found.append(first)
        earlier = [(o, i) for o, i in found if i != own_id and o < before]
        return min(earlier) if earlier else None

    def _root(self, story_id: str) -> str:
        """The original a duplicate points at, so copies of copies name the first story."""
        for judged in (self._duplicate_of, self._others_duplicate_of):
            if story_id in judged:
                return judged[story_id] or story_id
        stored = self._store.get(story_id)
        return (stored.duplicate_of if stored else None) or story_id
