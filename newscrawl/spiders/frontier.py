"""Which story links the crawl requests: one request per canonical URL, in the section only,
recent enough for ``since``, and no more than ``max_articles``. Pure bookkeeping, no Scrapy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Literal

from newscrawl.urls import is_section_article, link_canonical_url, story_day

# "known": the state store holds the story and it is too old to be fetched again.
# "bad-url": the href is no URL at all (``http://[oops/``): skipped, never fatal.
Admission = Literal["new", "seen", "off-section", "older", "capped", "known", "bad-url"]


@lru_cache(maxsize=1 << 16)
def _canonical(href: str) -> str | None:
    # Every story page links the same ten newest stories, in varying spellings: most hrefs
    # the crawl sees were canonicalised before. None for an href that cannot be parsed.
    return link_canonical_url(href)


class StoryFrontier:
    """Admits story links; ``wants`` is the hook the state store uses to skip known stories."""

    def __init__(self, *, since: date | None, max_articles: int | None,
                 wants: Callable[[str], bool]) -> None:
        self.since = since
        self.max_articles = max_articles
        self._wants = wants
        self._seen: set[str] = set()
        self._listed: set[str] = set()
        self._landed: set[str] = set()
        self.admitted = 0

    @property
    def full(self) -> bool:
        """True once ``max_articles`` stories were admitted: nothing more will be."""
        return self.max_articles is not None and self.admitted >= self.max_articles

    def is_older(self, day: date | None) -> bool:
        return self.since is not None and day is not None and day < self.since

    def admit(self, href: str) -> tuple[str, Admission]:
        """The canonical URL of ``href`` and whether to request it ("new") or why not.

        An unparseable href comes back as it is, with "bad-url".
        """
        url = _canonical(href)
        if url is None:
            return href, "bad-url"
        if url in self._seen:  # only section stories get in: the cheap test first
            return url, "seen"
        if not is_section_article(url):
            return url, "off-section"
        if self.is_older(story_day(url)):
            return url, "older"
        if self.full:
            return url, "capped"
        self._seen.add(url)
        if not self._wants(url):
            return url, "known"
        self.admitted += 1
        return url, "new"

    def claim(self, url: str) -> bool:
        """Record that a response for the story at ``url`` came in; False when one already did.

        Not "already requested": a story the listing showed is redirected to by an old URL as
        often as not, and the duplicate filter keeps only one of the two requests.
        """
        if url in self._landed:
            return False
        self._landed.add(url)
        self._seen.add(url)
        return True

    @staticmethod
    def section_links(hrefs: Iterable[str]) -> list[str]:
        """The canonical URLs of the section's stories among ``hrefs``, each once, in order
        (an unparseable href is none of them: ``admit`` counts it)."""
        return list(dict.fromkeys(
            u for u in map(_canonical, hrefs) if u is not None and is_section_article(u)
        ))

    def note_listing(self, urls: Iterable[str]) -> int:
        """How many of a listing page's story URLs (``section_links``) no earlier listing page
        showed, recent enough. Zero means paging on would only repeat what is known."""
        fresh = 0
        for url in urls:
            if url in self._listed:
                continue
            self._listed.add(url)
            if not self.is_older(story_day(url)):
                fresh += 1
        return fresh
