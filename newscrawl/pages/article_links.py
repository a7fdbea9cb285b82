"""The link blocks after the story: "Next In …" (server-rendered) and "Others Also Read"
(filled by JavaScript), found by heading text or by container, resolved as a browser would."""

from __future__ import annotations

from typing import ClassVar

from lxml.html import HtmlElement

from newscrawl.boilerplate import OTHERS_ALSO_READ_HEADING
from newscrawl.pages import blocks
from newscrawl.pages.article_parts import ArticleParts
from newscrawl.pages.cached import cached_value
from newscrawl.pages.css import select
from newscrawl.pages.document import resolve_href
from newscrawl.pages.sources import NOWHERE, ValueSource

# The heading names the section ("Next In Aseanplus News", "Next In Nation").
NEXT_IN_HEADING = "Next In"
_SKIPPED_HREFS = ("javascript:", "mailto:", "#", "tel:")


class ArticleLinks(ArticleParts):
    # Guesses at the blocks' containers; the blocks are also found by their heading text.
    NEXT_IN_CSS: ClassVar[str] = "[class*=next-in], [id*=next-in]"
    OTHERS_ALSO_READ_CSS: ClassVar[str] = "[class*=also-read], [id*=also-read]"

    def __init__(self, url: str, html: str, *, doc: HtmlElement | None = None) -> None:
        super().__init__(url, html, doc=doc)
        self._heading_cache: dict[str, list[HtmlElement]] = {}

    def next_in_links(self) -> tuple[str, ...]:
        return self._block_links(self.NEXT_IN_CSS, NEXT_IN_HEADING, OTHERS_ALSO_READ_HEADING)

    def others_also_read_links(self) -> tuple[str, ...]:
        """Empty on a page as served: the list is filled by JavaScript."""
        return self._block_links(
            self.OTHERS_ALSO_READ_CSS, OTHERS_ALSO_READ_HEADING, NEXT_IN_HEADING
        )

    def _block_source(self, css: str, heading: str, links: tuple[str, ...]) -> ValueSource:
        if not links:
            return NOWHERE
        if self._headings(heading):
            return ValueSource("markup", f"links after the heading {heading!r}")
        return ValueSource("markup", css)

    def _block_links(self, css: str, heading: str, other: str) -> tuple[str, ...]:
        # The heading text is what is known of the site; the containers' classes are guesses.
        found = self._headings(heading)
        if found:
            links = blocks.links_after(found[0], self._headings(other))
        else:
            links = blocks.links_in(select(self.doc, css), heading)
        base = self.base_url
        urls: list[str] = []
        for a in links:  # one loop: ~12 links a story, three calls each were ~5 % of a page
            href = (a.get("href") or "").strip()
            if href and not href.lower().startswith(_SKIPPED_HREFS):
                url = resolve_href(base, href)
                if url is not None:
                    urls.append(url)
        return tuple(urls)

    @cached_value
    def _heading_tags(self) -> list[tuple[HtmlElement, str]]:
        return blocks.heading_tags(self.doc)

    def _headings(self, text: str) -> list[HtmlElement]:
        # Each block's search stops at the other's heading: find each heading once per page.
        if text not in self._heading_cache:
            self._heading_cache[text] = blocks.find_headings(
                self.doc, text, self._body_container, self._heading_tags
            )
        return self._heading_cache[text]

