"""A page whose body container no layout knows: the body comes from a generic extractor
(trafilatura) and the record says ``extraction: "fallback"``, so data keeps flowing while the
monitors report that the site's layout changed."""

from __future__ import annotations

import copy
from functools import cached_property
from typing import ClassVar

import trafilatura
from lxml.html import HtmlElement

from newscrawl.pages.article import ArticlePage
from newscrawl.pages.body import BodyText, clean_lines
from newscrawl.pages.css import select
from newscrawl.pages.sources import ValueSource
from newscrawl.pages.values import Extraction

# Removed before extraction: page furniture that a generic extractor may mistake for prose.
_FURNITURE_CSS = (
    "script, noscript, style, figure, figcaption, .caption, .inline-caption, .story-image, "
    "[class*=flourish], [id^=div-gpt-ad], .ad, [class*=advert], header, footer, nav, aside, "
    "h1, .headline, .kicker, .credit__authors, .byline, p.date, time, .timestamp, "
    "[class*=whatsapp], [class*=plan-box], [class*=badge-premium]"
)


class FallbackArticlePage(ArticlePage):
    LAYOUT: ClassVar[str] = "fallback"
    EXTRACTION: ClassVar[Extraction] = "fallback"

    def body_source(self) -> ValueSource:
        return ValueSource("extractor", "trafilatura")

    @cached_property
    def _body(self) -> BodyText:
        # trafilatura rewrites the tree it is given; the page's own tree stays intact.
        tree = copy.deepcopy(self.doc)
        for el in select(tree, _FURNITURE_CSS):
            el.drop_tree()
        # The tag row has no known class; its links do have a known shape.
        for link in select(tree, self.TAG_LINK_CSS):
            row = link.getparent()
            if row is not None and row.getparent() is not None and _only_links(row):
                row.drop_tree()
        text = trafilatura.extract(
            tree, include_comments=False, include_tables=False, include_images=False,
            include_links=False, deduplicate=False, favor_precision=True,
        )
        return clean_lines((text or "").split("\n"))


def _only_links(row: HtmlElement) -> bool:
    """True for a row of links with separators (a tag row), not prose that links a word."""
    loose = (row.text or "") + "".join(child.tail or "" for child in row)
    return not loose.strip(" ,|·\n\t\xa0")
