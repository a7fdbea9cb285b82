"""Which story links the crawl requests: one request per canonical URL, in a crawled section
only, recent enough for ``since``, and no more than ``max_articles``. Pure bookkeeping, no Scrapy.

A story belongs to a crawled section when its URL has the section's shape, or else when the
section's listing or feed showed it (a story the site lists in two sections): ``owner``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from newscrawl.sections import DEFAULT_SECTION, Section, section_of_listing, section_of_path
from newscrawl.urls import (
    CANONICAL_CACHE_SIZE,
    is_site_article,
    link_canonical_url,
    site_path,
    story_day,
)

# "known": the state store holds the story and it is too old to be fetched again.
# "bad-url": the href is no URL at all (``http://[oops/``): skipped, never fatal.
Admission = Literal["new", "seen", "off-section", "older", "capped", "known", "bad-url"]


# Every story page links the same ten newest stories, in varying spellings: most hrefs the
# crawl sees were canonicalised a moment before. Bounded small because every other href is met
# once: a cache of 65,536 kept one entry per story of the run (~360 bytes each, ~3.6 MB at
# 10,000 stories), and on a 2,000-article replica a cache of 256 already hits as often (91 %).
# (``canonical_url`` beneath it is bounded alike, or it would keep those entries instead.)
@lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonical(href: str) -> str | None:
    """None for an href that cannot be parsed."""
    return link_canonical_url(href)


class StoryFrontier:
    """Admits story links; ``wants`` is the hook the state store uses to skip known stories."""

    def __init__(self, *, since: date | None, max_articles: int | None,
                 wants: Callable[[str], bool],
                 sections: tuple[Section, ...] = (DEFAULT_SECTION,)) -> None:
        self.sections = sections
        self.since = since
        self.max_articles = max_articles
        self._wants = wants
        # Every story URL admitted or landed -> whether a response for it came in. One dict, not
        # a set of each: a URL is one string held once, not twice (the landed URL is another
        # string of the same text), ~200 bytes a story less, held until the run ends.
        self._seen: dict[str, bool] = {}
        self._listed: dict[Section, set[str]] = {section: set() for section in sections}
        self.admitted = 0

    @property
    def full(self) -> bool:
        """True once ``max_articles`` stories were admitted: nothing more will be."""
        return self.max_articles is not None and self.admitted >= self.max_articles

    def is_older(self, day: date | None) -> bool:
        return self.since is not None and day is not None and day < self.since

    def owner(self, url: str, referrer: str | None = None) -> Section | None:
        """The crawled section the story at canonical ``url`` belongs to: the one of its URL,
        else the one whose listing or feed (``referrer``) showed it; None for neither."""
        path = site_path(url)
        if path is None:
            return None
        own = section_of_path(path, self.sections)
        if own is not None or referrer is None or not is_site_article(url):
            return own
        return section_of_listing(urlsplit(referrer).path, self.sections)

    def admit(self, href: str, referrer: str | None = None) -> tuple[str, Admission]:
        """The canonical URL of ``href`` and whether to request it ("new") or why not;
        ``referrer``: the canonical URL of the page that links it (``owner``).

        An unparseable href comes back as it is, with "bad-url".
        """
        url = _canonical(href)
        if url is None:
            return href, "bad-url"
        if url in self._seen:  # only section stories get in: the cheap test first
            return url, "seen"
        if self.owner(url, referrer) is None:
            return url, "off-section"
        if self.is_older(story_day(url)):
            return url, "older"
        if self.full:
            return url, "capped"
        self._seen[url] = False
        if not self._wants(url):
            return url, "known"
        self.admitted += 1
        return url, "new"

    def claim(self, url: str) -> bool:
        """Record that a response for the story at ``url`` came in; False when one already did.

        Not "already requested": a story the listing showed is redirected to by an old URL as
        often as not, and the duplicate filter keeps only one of the two requests.
        """
        if self._seen.get(url):
            return False
        self._seen[url] = True  # an admitted URL keeps its string: the key is not replaced
        return True

    @staticmethod
    def section_links(hrefs: Iterable[str]) -> list[str]:
        """The canonical URLs of the stories among a listing page's ``hrefs``, each once, in
        order: every dated story it lists is the section's (an unparseable href is none of
        them: ``admit`` counts it)."""
        return list(dict.fromkeys(
            u for u in map(_canonical, hrefs) if u is not None and is_site_article(u)
        ))

    def note_listing(self, section: Section, urls: Iterable[str]) -> int:
        """How many of a listing page's story URLs (``section_links``) no earlier page of the
        same section's listing showed, recent enough. Zero means paging on would only repeat
        what is known (a story another section listed first does not end this walk)."""
        listed = self._listed.setdefault(section, set())
        fresh = 0
        for url in urls:
            if url in listed:
                continue
            listed.add(url)
            if not self.is_older(story_day(url)):
                fresh += 1
        return fresh
