"""The Star's sections as data: what is specific to one section, and the table of known ones.

A ``Section`` is everything the crawl needs to know to crawl one section: its listing path
(which is also the prefix of its stories' paths), the shape of its story URLs, the kicker label
its stories carry, its "Next In" heading and its RSS feed. Site-wide knowledge (hosts, canonical
URLs, page layouts, boilerplate) is elsewhere (``newscrawl.urls``, ``newscrawl.pages``). Adding
a section is one entry in ``SECTIONS``.

Pure: no Scrapy, no network; this module imports nothing of the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

# YYYY/MM/DD/<slug>: every dated story of the site ends so (slug rules in docs/site-facts.md).
_DATED_SLUG: Final = r"/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P<slug>[a-z0-9][a-z0-9-]*)$"
_KEY_RE: Final = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)*$")


class UnknownSectionError(ValueError):
    """A section name that is not in the table; the message lists the known ones."""


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the site. ``key`` is its listing path without the leading slash
    (``news/nation``): the name ``-a section=`` and ``--section`` take, and the key of its
    stop-when-seen point in the state."""

    key: str
    label: str  # the kicker its stories carry (``a.kicker``), and the record's ``section``
    rss_path: str | None = None  # None: no feed known; the listing is enough
    # Stories one path level below the listing (``opinion/columnists/<column>/YYYY/…``).
    column_level: bool = False
    _story_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not _KEY_RE.match(self.key):
            raise ValueError(f"section key {self.key!r} is not a lower-case path such as "
                             "news/nation")
        column = r"/[a-z0-9-]+" if self.column_level else ""
        pattern = re.compile("^" + re.escape(self.listing_path) + column + _DATED_SLUG)
        object.__setattr__(self, "_story_re", pattern)

    @property
    def listing_path(self) -> str:
        """``/news/nation``: the listing's path, and the prefix of every story path."""
        return "/" + self.key

    @property
    def next_in_heading(self) -> str:
        """The heading of the block of the section's newest stories on its story pages."""
        return f"Next In {self.label}"

    def owns_path(self, path: str) -> bool:
        """True when ``path`` (of a canonical URL) is the shape of one of this section's
        stories."""
        return self._story_re.match(path) is not None

    def has_label(self, label: str | None) -> bool:
        """Whether a page's kicker names this section (whitespace and case aside)."""
        return " ".join((label or "").split()).casefold() == self.label.casefold()


ASEANPLUS: Final = Section("aseanplus/aseanplus-news", "Aseanplus News", rss_path="/rss/aseanplus")
DEFAULT_SECTION: Final = ASEANPLUS

# The sections as the site names them (docs/site-facts.md). RSS: /rss/news/nation and /rss/business
# are widely used; /rss/aseanplus was seen once and /rss/news/world is by analogy. The crawl lives
# without any feed (a failed one is counted): the listing is the source that must work.
SECTIONS: Final[tuple[Section, ...]] = (
    ASEANPLUS,
    Section("news/nation", "Nation", rss_path="/rss/news/nation"),
    Section("news/world", "World", rss_path="/rss/news/world"),
    Section("news/regional", "Regional"),
    Section("business/business-news", "Business News", rss_path="/rss/business"),
    Section("opinion/columnists", "Columnists", column_level=True),
    Section("lifestyle/travel", "Travel"),
    Section("sport/football", "Football"),
)
SECTIONS_BY_KEY: Final[Mapping[str, Section]] = {s.key: s for s in SECTIONS}
LISTING_PATHS: Final = frozenset(s.listing_path for s in SECTIONS)


def section_named(name: str) -> Section:
    """The section whose key is ``name`` (a leading or trailing ``/`` and case do not matter)."""
    key = name.strip().strip("/").lower()
    found = SECTIONS_BY_KEY.get(key)
    if found is None:
        known = ", ".join(SECTIONS_BY_KEY)
        raise UnknownSectionError(f"unknown section {name.strip()!r} (known: {known})")
    return found


def sections_named(text: str) -> tuple[Section, ...]:
    """``aseanplus/aseanplus-news,news/nation`` as sections, each once, in the order given."""
    names = [part for part in text.split(",") if part.strip()]
    if not names:
        raise UnknownSectionError(f"no section named in {text!r}")
    return tuple(dict.fromkeys(section_named(name) for name in names))


def section_of_path(path: str, sections: Iterable[Section] = SECTIONS) -> Section | None:
    """The section among ``sections`` whose story URLs have the shape of ``path``."""
    for section in sections:
        if section.owns_path(path):
            return section
    return None


def section_of_listing(path: str, sections: Iterable[Section] = SECTIONS) -> Section | None:
    """The section among ``sections`` whose listing or RSS feed is at ``path``."""
    for section in sections:
        if path in (section.listing_path, section.rss_path):
            return section
    return None
