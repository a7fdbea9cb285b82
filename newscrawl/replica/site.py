"""What the replica serves, as typed values: ``SiteArticle`` (one story) and ``Site`` (all of them).

Files (``content``) and the generator (``synthetic``) both produce these; the renderers read only
these, so a page is a pure function of the site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Final, Literal

MYT: Final = timezone(timedelta(hours=8), "MYT")
SITE_ORIGIN: Final = "https://www.thestar.com.my"
SECTION_PATH: Final = "/aseanplus/aseanplus-news"
SECTION_LABEL: Final = "Aseanplus News"
# Where the replica serves its own drawing of an image (see ``assets``): the real image host
# cannot be reached, and a browser showing the replica must not try.
PLACEHOLDER_PREFIX: Final = "/assets/placeholder/"

PageFault = Literal["empty", "not-html", "no-headline", "broken-markup"]
PAGE_FAULTS: Final[tuple[PageFault, ...]] = ("empty", "not-html", "no-headline", "broken-markup")
NoiseKind = Literal["caption", "inline-caption", "script", "noscript", "chart", "ad"]
NOISE_KINDS: Final[tuple[NoiseKind, ...]] = (
    "caption", "inline-caption", "script", "noscript", "chart", "ad",
)
DEFAULT_NOISE: Final[tuple[NoiseKind, ...]] = ("caption", "script", "ad")

# Labels of the sections whose stories the site links to; any other section gets its last
# path segment in title case, which is how the site names most sections anyway.
SECTION_LABELS: Final[Mapping[str, str]] = {
    SECTION_PATH: SECTION_LABEL,
    "/news/nation": "Nation",
    "/news/world": "World",
    "/news/regional": "Regional",
    "/business/business-news": "Business News",
    "/opinion/columnists": "Columnists",
    "/lifestyle/travel": "Travel",
    "/sport/football": "Football",
}


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
    source: str = field(default="", compare=False)

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

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.articles, key=lambda a: (-a.published.timestamp(), a.path)))
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
        object.__setattr__(
            self, "_section", tuple(a for a in ordered if a.in_section and a.listed)
        )

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, path: str) -> SiteArticle | None:
        return self._by_path.get(path)

    def in_section(self) -> tuple[SiteArticle, ...]:
        """Listed Aseanplus News stories, newest first: what listings, RSS and Next In show."""
        return self._section

    def in_section_path(self, section_path: str) -> tuple[SiteArticle, ...]:
        """Listed stories of any section, newest first (Next In of other sections' pages)."""
        if section_path == SECTION_PATH:
            return self._section
        return tuple(a for a in self.articles if a.section_path == section_path and a.listed)


def section_label(section_path: str) -> str:
    for prefix, label in SECTION_LABELS.items():
        if section_path == prefix or section_path.startswith(prefix + "/"):
            return label
    return section_path.rsplit("/", 1)[-1].replace("-", " ").title()
