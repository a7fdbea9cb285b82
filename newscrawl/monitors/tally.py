"""Per-run counts of the stories read and published, kept in the crawl stats for the monitors
and the manifest.

Two populations, because an incremental run publishes only what changed:

- *read*: every story page the spider turned into a record, whatever the pipelines did next
  (published, dropped as unchanged, or quarantined by validation). Parser health (field
  coverage, fallback share, boilerplate) is measured here, so a layout change shows on the
  first run after it even when the text came out the same and nothing was published.
- *published*: the records that reached the feed (stories, new, updated, duplicates), and the
  quarantined items.

Field presence is counted here rather than with spidermon's field coverage so that "present"
means what the data dictionary says: ``[]``, ``""`` and ``None`` are absent, ``False`` and ``0``
are values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any, Final, Self

from scrapy import signals

from newscrawl.item_signals import on_item_scraped
from newscrawl.items import RECORD_FIELDS, QuarantineItem, StoryItem
from newscrawl.pipelines.furniture import boilerplate_in

PREFIX: Final = "newscrawl/tally"
READ: Final = f"{PREFIX}/read"
FALLBACK: Final = f"{PREFIX}/read/fallback"
BOILERPLATE: Final = f"{PREFIX}/read/boilerplate"
FIELD_PREFIX: Final = f"{PREFIX}/read/field/"
STORIES: Final = f"{PREFIX}/stories"
NEW: Final = f"{PREFIX}/new"
UPDATED: Final = f"{PREFIX}/updated"
DUPLICATES: Final = f"{PREFIX}/duplicates"
QUARANTINED: Final = f"{PREFIX}/quarantined"


def field_key(name: str) -> str:
    return FIELD_PREFIX + name


# Present: not None, and not empty when it is text or a container.
_SIZED: Final = (str, list, tuple, dict)


def coverage(stats: Mapping[str, Any]) -> dict[str, float]:
    """Share of the stories read with each record field present; empty when none was read."""
    read = int(stats.get(READ) or 0)
    if read == 0:
        return {}
    return {name: int(stats.get(field_key(name)) or 0) / read for name in RECORD_FIELDS}


def story_fields(story: StoryItem) -> dict[str, Any]:
    return dict(zip(RECORD_FIELDS, _record_values(story), strict=True))


# Read per story: the values in one C call, the stats keys made once.
_record_values: Final = attrgetter(*RECORD_FIELDS)
_FIELD_KEYS: Final = tuple(field_key(name) for name in RECORD_FIELDS)


class StoryTallyExtension:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        extension = cls(crawler.stats)
        on_item_scraped(crawler, extension.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        return extension

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, QuarantineItem):
            self.stats.inc_value(QUARANTINED)
            if item.stage == "validate" and isinstance(item.record, dict):
                self.count_read(item.record)
        elif isinstance(item, StoryItem):
            self.count_published(item)
            self._count(item.extraction, item.body, _record_values(item))

    def item_dropped(self, item: Any) -> None:
        if isinstance(item, StoryItem):  # unchanged since the last run, or a repeat
            self._count(item.extraction, item.body, _record_values(item))

    def count_published(self, story: StoryItem) -> None:
        inc = self.stats.inc_value
        inc(STORIES)
        if story.duplicate_of is not None:
            inc(DUPLICATES)
        elif story.version > 1:
            inc(UPDATED)
        else:
            inc(NEW)

    def count_read(self, record: Mapping[str, Any]) -> None:
        self._count(record.get("extraction"), record.get("body"), map(record.get, RECORD_FIELDS))

    def _count(self, extraction: Any, body: Any, values: Iterable[Any]) -> None:
        """Count a record read: its ``extraction``, its ``body`` and its ``values`` in
        ``RECORD_FIELDS`` order (a story's read off it in one call, no dict made of them)."""
        inc = self.stats.inc_value
        inc(READ)
        if extraction == "fallback":
            inc(FALLBACK)
        # Validation looked at this very body a moment ago: the answer is remembered.
        if isinstance(body, str) and boilerplate_in(body):
            inc(BOILERPLATE)
        # The test inline: a function call per field cost more than it (26 fields a story).
        for key, value in zip(_FIELD_KEYS, values, strict=True):
            if value is not None and (value or not isinstance(value, _SIZED)):
                inc(key)
