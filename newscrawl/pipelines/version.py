"""VersionPipeline: emit a story once per version, and stage it for the state store.

Compared with the stored story (by id, i.e. canonical URL) through one digest per tracked field
(title, body, authors, tags, modified_at):

- never seen: ``version`` 1, ``changed_fields`` [];
- seen, some field changed: ``version`` = stored + 1, ``changed_fields`` names them;
- seen, nothing changed: dropped with the reason in the log at DEBUG (one line per story would
  drown the log on every incremental run) and counted as ``newscrawl/version/unchanged``;
- seen, changed, but read by the fallback extractor (the layout changed): dropped, counted as
  ``newscrawl/version/held_fallback``, so a layout change never replaces good text in the dataset.

An emitted story is only *staged*: ``StateCommitExtension`` commits it once the feed that holds
it is stored, so a run killed before that emits it again next time.
"""

from __future__ import annotations

import logging
from operator import attrgetter
from typing import Any, Final, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.fingerprint import TRACKED_FIELDS, changed_fields, field_digests
from newscrawl.items import StoryItem
from newscrawl.state.crawl import CrawlState, crawl_state_for, utc_now
from newscrawl.state.store import StoredStory

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/version"
FALLBACK: Final = "fallback"
COMMIT_EXTENSION: Final = "newscrawl.state.commit.StateCommitExtension"
# The tracked fields read straight off the dataclass: an ItemAdapter cost more than the digests.
_tracked_values: Final = attrgetter(*TRACKED_FIELDS)


class VersionPipeline:
    def __init__(self, state: CrawlState, stats: StatsCollector) -> None:
        self._state = state
        self._store = state.store
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        if not _enabled(crawler, COMMIT_EXTENSION):
            logger.warning(
                "%s is not in EXTENSIONS: no story of this run will be recorded as seen, and "
                "the next run will emit every story again",
                COMMIT_EXTENSION,
            )
        return cls(crawl_state_for(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StoryItem):
            return item
        digests = field_digests(dict(zip(TRACKED_FIELDS, _tracked_values(item), strict=True)))
        pending = self._state.pending.pop(item.id, None)
        stored = pending.stored if pending else self._store.get(item.id)
        now = utc_now()
        if stored is None:
            item.version, item.changed_fields, first_seen = 1, [], now
            self._stats.inc_value(f"{STATS_PREFIX}/new")
        else:
            changed = changed_fields(stored.field_digests, digests)
            if not changed:
                self._state.unchanged_ids.append(item.id)
                self._stats.inc_value(f"{STATS_PREFIX}/unchanged")
                raise DropItem(
                    f"unchanged since version {stored.version}: {item.url}", log_level="DEBUG"
                )
            if item.extraction == FALLBACK:
                # The generic extractor reads a page whose layout the site parser no longer
                # knows: its text differs from the stored version because of the extractor, not
                # the newsroom. The stored version stays the latest until the page is read by a
                # layout class again; the fallback-share monitor reports the layout change.
                self._state.unchanged_ids.append(item.id)
                self._stats.inc_value(f"{STATS_PREFIX}/held_fallback")
                raise DropItem(
                    f"read by the fallback extractor; version {stored.version} stays: {item.url}",
                    log_level="DEBUG",
                )
            item.version, item.changed_fields = stored.version + 1, changed
            first_seen = stored.first_seen
            self._stats.inc_value(f"{STATS_PREFIX}/changed")
        self._store.stage(
            StoredStory(
                id=item.id,
                url=item.url,
                content_hash=item.content_hash,
                signature=pending.signature if pending else None,
                signature_kind=pending.signature_kind if pending else None,
                field_digests=digests,
                duplicate_of=item.duplicate_of,
                published_at=item.published_at,
                modified_at=item.modified_at,
                first_seen=first_seen,
                last_seen=now,
                version=item.version,
            )
        )
        return item


def _enabled(crawler: Crawler, dotted: str) -> bool:
    for component, order in crawler.settings.getwithbase("EXTENSIONS").items():
        name = (
            component
            if isinstance(component, str)
            else (f"{component.__module__}.{component.__qualname__}")
        )
        if name == dotted and order is not None:
            return True
    return False
