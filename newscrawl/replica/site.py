"""What the replica serves, as typed values: ``SiteArticle`` (one story) and ``Site`` (all of them).

Files (``content``) and the generator (``synthetic``) both produce these; the renderers read only
these, so a page is a pure function of the site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Final, Literal

from newscrawl.replica.sections import SECTION_LABEL, SECTION_PATH, section_label

__all__ = [
    "MYT", "SECTION_LABEL", "SECTION_PATH", "SITE_ORIGIN", "Site", "SiteArticle", "SiteDataError",
    "SiteImage", "section_label",
]

MYT: Final = timezone(timedelta(hours=8), "MYT")
SITE_ORIGIN: Final = "https://www.thestar.com.my"
# Where the replica serves its own drawing of an image (see ``assets``): the real image host
# cannot be reached, and a browser showing the replica must not try.
PLACEHOLDER_PREFIX: Final = "/assets/placeholder/"

PageFault = Literal["empty", "not-html", "no-headline", "broken-markup"]
PAGE_FAULTS: Final[tuple[PageFault, ...]] = ("empty", "not-html", "no-headline", "broken-markup")
NoiseKind = Literal["caption", "inline-caption", "script", "noscript", "chart", "ad",
                   "embedded-image", "go-chart", "related-box", "related-list"]
NOISE_KINDS: Final[tuple[NoiseKind, ...]] = (
    "caption", "inline-caption", "script", "noscript", "chart", "ad",
    "embedded-image", "go-chart", "related-box", "related-list",
)
# The article templates: the one of the seed article, and the reader app's ("story-div").
Template = Literal["story-page", "story-div"]
TEMPLATES: Final[tuple[Template, ...]] = ("story-page", "story-div")
# How a video story embeds its player.
VideoKind = Literal["jwplayer", "clips"]
VIDEO_KINDS: Final[tuple[VideoKind, ...]] = ("jwplayer", "clips")
# A story-div story of this many paragraphs or more is long: its page holds the first
# LONG_STORY_HTML_PARAGRAPHS, the rest comes from /api/readmore/get/<guid>/.
LONG_STORY_PARAGRAPHS: Final = 9
LONG_STORY_HTML_PARAGRAPHS: Final = 5
DEFAULT_NOISE: Final[tuple[NoiseKind, ...]] = ("caption", "script", "ad")
# Guids are six-digit numbers, like the ids the site's parse.ly metadata carries. Among a few
# thousand stories some paths draw the same one: ``Site`` draws again for the newer story.
GUID_FLOOR: Final = 100_000
GUID_SPAN: Final = 900_000

class SiteDataError(ValueError):
    """A replica data file that cannot be served as written."""


@dataclass(frozen=True, slots=True)
class SiteImage:
    id: str
    caption: str

    @property
    def url(self) -> str:
        return f"https://apicms.thestar.com.my/uploads/images/{self.id}.jpg"

    @property
    def replica_path(self) -> str:
        """The replica's own copy, on the page's origin (pages name it in ``srcset``)."""
        return f"{PLACEHOLDER_PREFIX}{self.id}.svg"


@dataclass(frozen=True, slots=True)
class SiteArticle:
    """One story as the site holds it; every page that shows it is derived from this."""

    path: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    modified: datetime | None = None
    description: str | None = None
    section: str = SECTION_LABEL
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    premium: bool = False
    jsonld: bool = False
    listed: bool = True
    image: SiteImage | None = None
    noise: tuple[NoiseKind, ...] = DEFAULT_NOISE
    others_also_read: tuple[str, ...] = ()
    fault: PageFault | None = None
    template: Template = "story-page"
    video: VideoKind | None = None
    photos: tuple[SiteImage, ...] = ()  # a photo gallery: no story text
    # Other sections whose listings (and so RSS and "Next In") also show this story.
    also_listed_in: tuple[str, ...] = ()
    source: str = field(default="", compare=False)
    # Which draw of the path's digest gives the guid: 0 unless an older story of the same site
    # drew the same number (``Site`` raises it then), so a guid names one story per site.
    guid_draw: int = 0

    @property
    def slug(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        """The canonical URL on the real site."""
        return SITE_ORIGIN + self.path

    @property
    def section_path(self) -> str:
        """``/news/nation`` for ``/news/nation/2025/05/21/x``: where the kicker points."""
        return self.path.rsplit("/", 4)[0]

    @property
    def in_section(self) -> bool:
        """True for an Aseanplus News story (whether listed or not)."""
        return self.section_path == SECTION_PATH

    @property
    def is_gallery(self) -> bool:
        return bool(self.photos)

    @property
    def guid(self) -> str:
        """The site's numeric story id (parse.ly ``guid``): stable for a path, not derivable
        from the URL by a crawler, unique within a ``Site``."""
        key = self.path if self.guid_draw == 0 else f"{self.path}#{self.guid_draw}"
        digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
        return str(GUID_FLOOR + int.from_bytes(digest, "big") % GUID_SPAN)

    @property
    def html_paragraphs(self) -> int:
        """How many paragraphs the page itself holds; fewer than all for a long story."""
        if (self.template == "story-div" and not self.premium
                and len(self.paragraphs) >= LONG_STORY_PARAGRAPHS):
            return LONG_STORY_HTML_PARAGRAPHS
        return len(self.paragraphs)

    @property
    def is_long(self) -> bool:
        return self.html_paragraphs < len(self.paragraphs)

    @property
    def summary(self) -> str:
        """og:description and the listing's one-liner: the description, else the first paragraph."""
        if self.description:
            return self.description
        return self.paragraphs[0] if self.paragraphs else self.title


@dataclass(frozen=True, slots=True)
class Site:
    """All the stories the replica serves, newest first."""

    articles: tuple[SiteArticle, ...]
    origin_note: str = ""
    _by_path: dict[str, SiteArticle] = field(init=False, repr=False, compare=False)
    _section: tuple[SiteArticle, ...] = field(init=False, repr=False, compare=False)
    _listings: dict[str, tuple[SiteArticle, ...]] = field(init=False, repr=False,
                                                          compare=False)

    def __post_init__(self) -> None:
        ordered = _unique_guids(
            sorted(self.articles, key=lambda a: (-a.published.timestamp(), a.path)))
        object.__setattr__(self, "articles", ordered)
        by_path: dict[str, SiteArticle] = {}
        for article in ordered:
            if article.path in by_path:
                raise SiteDataError(
                    f"{article.source or article.path}: field 'path': {article.path} is also "
                    f"used by {by_path[article.path].source or 'another article'}"
                )
            by_path[article.path] = article
        object.__setattr__(self, "_by_path", by_path)
        listings: dict[str, list[SiteArticle]] = {}
        for article in ordered:
            if article.listed:
                for section_path in (article.section_path, *article.also_listed_in):
                    listings.setdefault(section_path, []).append(article)
        object.__setattr__(self, "_listings", {k: tuple(v) for k, v in listings.items()})
        object.__setattr__(self, "_section", self._listings.get(SECTION_PATH, ()))

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, path: str) -> SiteArticle | None:
        return self._by_path.get(path)

    def in_section(self) -> tuple[SiteArticle, ...]:
        """What the Aseanplus News listing, RSS and Next In show, newest first (its own listed
        stories; other sections share none into it in the replica's data)."""
        return self._section

    def in_section_path(self, section_path: str) -> tuple[SiteArticle, ...]:
        """Listed stories of any section, newest first: its own and other sections' stories
        that name it in ``also_listed_in``. Its listing, RSS and Next In show these."""
        return self._listings.get(section_path, ())


def _unique_guids(newest_first: list[SiteArticle]) -> tuple[SiteArticle, ...]:
    """The articles with no guid twice: oldest first, a story whose guid an older one holds
    draws again, so adding newer stories never changes an existing story's guid (as a site's
    ids, handed out in order, never change)."""
    taken: set[str] = set()
    kept: list[SiteArticle] = []
    for article in reversed(newest_first):
        while article.guid in taken:
            article = replace(article, guid_draw=article.guid_draw + 1)
        taken.add(article.guid)
        kept.append(article)
    return tuple(reversed(kept))
