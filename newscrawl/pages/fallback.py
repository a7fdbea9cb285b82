"""A page whose body container no layout knows: the body comes from general-purpose extractors
(``generic_body``) and the record says ``extraction: "fallback"``, so data keeps flowing while the
monitors report that the site's layout changed."""

from __future__ import annotations

import copy
from functools import cached_property
from typing import ClassVar

from lxml.html import HtmlElement

from newscrawl.pages.article import ArticlePage
from newscrawl.pages.body import BodyText, clean_lines
from newscrawl.pages.css import select, text_of
from newscrawl.pages.generic_body import read_body
from newscrawl.pages.values import Extraction


class FallbackArticlePage(ArticlePage):
    LAYOUT: ClassVar[str] = "fallback"
    EXTRACTION: ClassVar[Extraction] = "fallback"
    # Removed before reading: never prose, or The Star's own furniture named exactly
    # (docs/site-facts.md). No class *substring* of other sites' words: `[class*=advert]` also
    # names whole-page wrappers and article containers elsewhere.
    FURNITURE_CSS: ClassVar[str] = (
        "script, noscript, style, template, [id^=div-gpt-ad], .inline-caption, .caption, "
        ".story-image, [class*=flourish], [class*=whatsapp], [class*=plan-box], "
        "[class*=badge-premium]"
    )
    # Where a page names its headline: kept out of the body (it has a field of its own).
    HEADING_CSS: ClassVar[str] = "h1, title"

    @cached_property
    def _body(self) -> BodyText:
        tree = copy.deepcopy(self.doc)  # the page's own tree stays as parsed
        for el in select(tree, self.FURNITURE_CSS):
            el.drop_tree()
        # The tag row has no known class; its links do have a known shape.
        for link in select(tree, self.TAG_LINK_CSS):
            row = link.getparent()
            if row is not None and row.getparent() is not None and _only_links(row):
                row.drop_tree()
        headings = [text_of(el) for el in select(self.doc, self.HEADING_CSS)]
        title = self.title()
        if title:
            headings.append(title)
        return clean_lines(read_body(tree, self.url, headings))


def _only_links(row: HtmlElement) -> bool:
    """True for a row of links with separators (a tag row), not prose that links a word."""
    loose = (row.text or "") + "".join(child.tail or "" for child in row)
    return not loose.strip(" ,|·\n\t\xa0")
