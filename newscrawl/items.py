"""The story record: the one contract between the spider, the pipelines and the analysts.

Field order here is the order in the JSON Lines output (itemadapter keeps dataclass order).
The JSON Schema in ``newscrawl/schema/`` describes the same record; a test keeps them in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.3"

DiscoveredVia = Literal["listing", "rss", "next_in", "others_also_read", "start"]


@dataclass(slots=True)
class StoryItem:
    id: str
    url: str
    title: str
    summary: str | None
    body: str
    published_at: str
    modified_at: str | None
    authors: list[str]
    agency: str | None
    dateline: str | None
    section: str
    tags: list[str]
    image: dict[str, Any] | None
    premium: bool
    word_count: int
    related: dict[str, list[str]]
    discovered_via: DiscoveredVia
    referrer: str | None
    crawled_at: str
    extraction: str
    # "video" for a video story, whose text is the body (schema 1.2).
    media: str = "text"
    # Filled by the pipelines (schema 1.1).
    content_hash: str = ""
    duplicate_of: str | None = None
    version: int = 1
    changed_fields: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION
    # The page as fetched, so a record that fails validation can be quarantined with its
    # source. Never exported: FEED_EXPORT_FIELDS lists RECORD_FIELDS only.
    raw_html: str | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class QuarantineItem:
    """A page or record that must not reach the dataset, kept with its reasons for review.

    The feed exports route it to the quarantine feed by item class; ``html`` is written to a
    file beside that feed and replaced by ``html_path`` before export.
    """

    url: str
    reasons: list[str]
    stage: str  # "parse" (the spider could not read the page) or "validate"
    crawled_at: str
    record: dict[str, Any] | None = None
    html_path: str | None = None
    html: str | None = field(default=None, repr=False, compare=False)


RECORD_FIELDS: tuple[str, ...] = tuple(
    name for name in StoryItem.__dataclass_fields__ if name != "raw_html"
)


def count_words(text: str) -> int:
    return len(text.split())
