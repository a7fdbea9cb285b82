"""A page of the section listing: story links and the link to the next page."""

from __future__ import annotations

from typing import ClassVar

from lxml.html import HtmlElement

from newscrawl.pages import document
from newscrawl.pages.css import select, text_of
from newscrawl.pages.values import ListingData
from newscrawl.urls import foreign_base, listing_page_number

_NEXT_WORDS = frozenset({"next", "next »", "»", "›", ">", "load more", "more"})


class ListingPage:
    """URL + HTML of a listing page in, absolute links out (not canonicalised)."""

    # Current headline links first, then containers of older templates; all are read (in
    # page order) because a template change may leave some stories in the old markup.
    STORY_LINKS_CSS: ClassVar[str] = (
        "h2.f18 > a, .timeline-content > a, .thumb__title > a, .section-listing > li > a, "
        ".story-set-group a"
    )
    LOAD_MORE_CSS: ClassVar[str] = "a#loadMorestories"
    PAGER_CSS: ClassVar[str] = "ul.pager > li > a"

    def __init__(self, url: str, html: str, *, doc: HtmlElement | None = None) -> None:
        self.url = url
        self.doc = doc if doc is not None else document.parse(html)
        # Relative links resolve against the page's <base href>, as in a browser.
        self.base_url = document.base_url(self.doc, url)
        # Hrefs that are no URL at all (``http://[oops/``): skipped, and counted for the caller.
        self.bad_hrefs = 0

    def _absolute(self, href: str) -> str | None:
        absolute = document.resolve_href(self.base_url, href)
        if absolute is None:
            self.bad_hrefs += 1
        return absolute

    def has_foreign_base(self) -> bool:
        """True when ``<base href>`` points the page's links away from the site."""
        return foreign_base(self.url, self.base_url)

    def story_links(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for a in select(self.doc, self.STORY_LINKS_CSS):
            href = str(a.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:")):
                absolute = self._absolute(href)
                if absolute is not None:
                    seen.setdefault(absolute, None)
        return tuple(seen)

    def next_page(self) -> str | None:
        """``a#loadMorestories``, else the pager link to the page after this one."""
        for a in select(self.doc, self.LOAD_MORE_CSS):
            href = str(a.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:")):
                absolute = self._absolute(href)
                if absolute is not None:
                    return absolute
        wanted = listing_page_number(self.url) + 1
        for a in select(self.doc, self.PAGER_CSS):
            href = str(a.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:")):
                continue
            absolute = self._absolute(href)
            if absolute is None:
                continue
            if listing_page_number(absolute) == wanted or text_of(a).lower() in _NEXT_WORDS:
                return absolute
        return None

    def to_data(self) -> ListingData:
        return ListingData(story_links=self.story_links(), next_page=self.next_page())
