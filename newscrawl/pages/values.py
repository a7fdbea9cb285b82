"""Typed values that page classes return: what a page says, before any crawl context is added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Extraction = Literal["site", "fallback"]
Media = Literal["text", "video"]


class NotAStoryError(Exception):
    """A page of the site that is no story (a photo gallery): counted and skipped, never
    quarantined as a bad page. Not a PageError, so no handler of those can quarantine it."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class PageError(ValueError):
    """A page that cannot yield a story. ``reason`` is a short stable slug used as a stats key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ImageRef:
    url: str
    caption: str | None


@dataclass(frozen=True, slots=True)
class ArticleData:
    """One article page as published. URLs are absolute (resolved against the page URL) but
    not canonicalised: the crawl decides what a link means."""

    title: str
    summary: str | None
    paragraphs: tuple[str, ...]
    published_at: datetime  # timezone-aware, +08:00
    modified_at: datetime | None
    authors: tuple[str, ...]
    agency: str | None
    dateline: str | None
    section: str | None  # the kicker label; None when the page shows none
    tags: tuple[str, ...]
    image: ImageRef | None
    premium: bool
    next_in: tuple[str, ...]
    others_also_read: tuple[str, ...]
    extraction: Extraction = "site"
    layout: str = "v1"  # which layout class read the page, for stats and drift
    media: Media = "text"  # "video": the story is a video with its text around it

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class ListingData:
    """One page of the section listing."""

    story_links: tuple[str, ...]
    next_page: str | None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One RSS item."""

    url: str
    title: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class FeedData:
    entries: tuple[FeedEntry, ...] = field(default_factory=tuple)
