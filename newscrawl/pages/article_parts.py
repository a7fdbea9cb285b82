"""What every part of an article page reads: the parsed document, its metadata sources
(JSON-LD, ``<meta>``, parse.ly) and the body container, each found once per page.

The page class is assembled from parts by concept (``article_body``, ``article_metadata``,
``article_media``, ``article_links``); each part holds its own selectors as class constants.
"""

from __future__ import annotations

from typing import Any, ClassVar

from lxml.html import HtmlElement

from newscrawl.pages import document, jsonld, parsely
from newscrawl.pages.cached import cached_value
from newscrawl.pages.css import select_first
from newscrawl.urls import foreign_base


class ArticleParts:
    """URL + HTML of an article page, parsed once; the sources every value is read from."""

    BODY_CSS: ClassVar[tuple[str, ...]] = ("div#story-body", "div.story.bot-15.relative")

    def __init__(self, url: str, html: str, *, doc: HtmlElement | None = None) -> None:
        self.url = url
        self.html = html
        self.doc = doc if doc is not None else document.parse(html)

    @cached_value
    def base_url(self) -> str | None:
        """What the page's relative URLs resolve against: its ``<base href>``, else its URL
        (``document.base_url``)."""
        return document.base_url(self.doc, self.url)

    def has_foreign_base(self) -> bool:
        """True when ``<base href>`` points the page's links away from the site (another
        origin, or no http(s) URL at all): the crawl counts such pages."""
        return foreign_base(self.url, self.base_url)

    @cached_value
    def _jsonld(self) -> dict[str, Any]:
        return jsonld.article_object(self.doc)

    @cached_value
    def _meta(self) -> dict[str, str]:
        return document.collect_meta(self.doc)

    @cached_value
    def _parsely(self) -> dict[str, Any]:
        return parsely.parsely_object(self._meta)

    @cached_value
    def _body_container(self) -> HtmlElement | None:
        return select_first(self.doc, *self.BODY_CSS)
