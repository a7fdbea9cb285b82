"""A page whose body container no layout knows: the body comes from general-purpose extractors
(``generic_body``) and the record says ``extraction: "fallback"``, so data keeps flowing while the
monitors report that the site's layout changed."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import ClassVar

from lxml.html import HtmlElement

from newscrawl.pages import furniture
from newscrawl.pages.article import ArticlePage
from newscrawl.pages.article_metadata import ArticleMetadata
from newscrawl.pages.body import BodyText, clean_lines
from newscrawl.pages.cached import cached_value
from newscrawl.pages.css import select, select_first, squash, text_of
from newscrawl.pages.dates import MYT
from newscrawl.pages.generic_body import read_body
from newscrawl.pages.sources import Found, ValueSource
from newscrawl.pages.values import Extraction
from newscrawl.urls import story_day

# An element matched as furniture is left when it holds more than this share of the page's words.
MAX_FURNITURE_SHARE = 0.5
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—]\s+The Star(?: Online)?\s*$")


class FallbackArticlePage(ArticlePage):
    LAYOUT: ClassVar[str] = "fallback"
    EXTRACTION: ClassVar[Extraction] = "fallback"
    # Removed before reading: never prose, or The Star's own furniture named exactly (one list
    # with the layouts' body noise: pages.furniture). No class *substring* of other sites'
    # words: `[class*=advert]` also names whole-page wrappers and article containers elsewhere.
    FURNITURE_CSS: ClassVar[str] = furniture.PAGE_FURNITURE_CSS
    # A bold "Related stories:" paragraph, followed by paragraphs that are only links.
    RELATED_LEAD_CSS: ClassVar[str] = "p > b, p > strong"
    RELATED_LEAD_TEXT: ClassVar[str] = "Related stories"
    # Where a page names its headline: kept out of the body (it has a field of its own).
    HEADING_CSS: ClassVar[str] = "h1, title"
    DOCUMENT_TITLE_CSS: ClassVar[str] = "head > title"

    @cached_value
    def _title(self) -> Found[str | None]:
        """As any layout reads it, else the document's ``<title>`` without the site's name: a
        new layout may drop the ``h1`` and the metadata, never the title."""
        # The layouts' own rule, computed here (not via super(), which would cache it too).
        found: Found[str | None] = vars(ArticleMetadata)["_title"].func(self)
        if found.value:
            return found
        el = select_first(self.doc, self.DOCUMENT_TITLE_CSS)
        title = squash(_TITLE_SUFFIX.sub("", text_of(el))) if el is not None else ""
        return Found(title, ValueSource("markup", self.DOCUMENT_TITLE_CSS)) if title else found

    @cached_value
    def _published(self) -> Found[datetime | None]:
        """As any layout reads it, else the day the story's URL names (midnight, site time, as
        for a visible date without a time): a layout change must not make a story undated."""
        found: Found[datetime | None] = vars(ArticleMetadata)["_published"].func(self)
        if found.value is not None:
            return found
        day = story_day(self.url)  # the same rule the crawl's frontier reads the day by
        if day is None:
            return found
        value = datetime(day.year, day.month, day.day, tzinfo=MYT)
        return Found(value, ValueSource("url", "the day in the path (midnight)"))

    def body_source(self) -> ValueSource:
        # The reader; readability's fork only trims the edges of its reading (generic_body).
        return ValueSource("extractor", "trafilatura")

    @cached_value
    def _body(self) -> BodyText:
        tree = copy.deepcopy(self.doc)  # the page's own tree stays as parsed
        page_words = _words(tree)
        for el in select(tree, self.FURNITURE_CSS):
            # Furniture is small: a match that holds most of the page is a wrapper whose class
            # happens to contain the word (a new layout's `has-whatsapp-share` body, say).
            if el.getparent() is not None and _words(el) <= MAX_FURNITURE_SHARE * page_words:
                el.drop_tree()
        # The tag row has no known class; its links do have a known shape.
        for link in select(tree, self.TAG_LINK_CSS):
            row = link.getparent()
            if row is not None and row.getparent() is not None and _only_links(row):
                row.drop_tree()
        for lead in select(tree, self.RELATED_LEAD_CSS):
            if text_of(lead).startswith(self.RELATED_LEAD_TEXT):
                _drop_with_link_paragraphs(lead.getparent())
        headings = [text_of(el) for el in select(self.doc, self.HEADING_CSS)]
        title = self.title()
        if title:
            headings.append(title)
        return clean_lines(read_body(tree, self.url, headings))


def _words(el: HtmlElement) -> int:
    return len(str(el.text_content()).split())


def _drop_with_link_paragraphs(lead: HtmlElement | None) -> None:
    """Drop ``lead`` and the paragraphs of links right after it."""
    if lead is None or lead.getparent() is None:
        return
    follower = lead.getnext()
    while follower is not None and follower.tag == "p" and _is_link_paragraph(follower):
        after = follower.getnext()
        follower.drop_tree()
        follower = after
    lead.drop_tree()


def _is_link_paragraph(p: HtmlElement) -> bool:
    return len(p) > 0 and all(child.tag == "a" for child in p) and _only_links(p)


def _only_links(row: HtmlElement) -> bool:
    """True for a row of links with separators (a tag row), not prose that links a word."""
    loose = (row.text or "") + "".join(child.tail or "" for child in row)
    return not loose.strip(" ,|·\n\t\xa0")
