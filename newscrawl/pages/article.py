"""An article page of the current layout ("v1": ``div.headline.story-pg`` + ``div#story-body``).

Each value is read from its best source with fallbacks. The page is assembled from parts by
concept, each with its selectors as class constants: body (``article_body``), metadata
(``article_metadata``), image/premium/video (``article_media``), link blocks
(``article_links``). An older or newer template is a subclass that overrides constants and
names the marker that picks it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from newscrawl.boilerplate import OTHERS_ALSO_READ_HEADING
from newscrawl.pages import document
from newscrawl.pages.article_links import NEXT_IN_HEADING, ArticleLinks
from newscrawl.pages.article_media import ArticleMedia
from newscrawl.pages.article_metadata import SITE_ORGANISATIONS, ArticleMetadata
from newscrawl.pages.css import select, select_first
from newscrawl.pages.sources import NOWHERE, ValueSource
from newscrawl.pages.summary import summary_of
from newscrawl.pages.values import ArticleData, Extraction, NotAStoryError, PageError
from newscrawl.pages.wire import find_agency, find_dateline

NO_HEADLINE = "no-headline"
NO_BODY = "no-body"
NO_DATE = "no-date"
GALLERY = "gallery"

__all__ = ["GALLERY", "NEXT_IN_HEADING", "NO_BODY", "NO_DATE", "NO_HEADLINE",
           "SITE_ORGANISATIONS", "ArticlePage"]


class ArticlePage(ArticleMetadata, ArticleMedia, ArticleLinks):
    """URL + HTML in, typed values out; nothing here knows about the crawl."""

    LAYOUT: ClassVar[str] = "v1"
    EXTRACTION: ClassVar[Extraction] = "site"
    # The page carries this layout when the marker matches (and its body container exists).
    MARKER_CSS: ClassVar[str] = "div.headline.story-pg, div#story-body"
    # A photo gallery: its album instead of a story body.
    GALLERY_CSS: ClassVar[str] = "div.album-content"

    _layouts: ClassVar[list[type[ArticlePage]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass that names its own marker is a layout; later ones are tried first.
        if "MARKER_CSS" in cls.__dict__:
            ArticlePage._layouts.insert(0, cls)

    @classmethod
    def for_page(
        cls, url: str, html: str | bytes, content_type: str | None = None
    ) -> ArticlePage:
        """The layout class whose marker the page carries, else the generic fallback.

        Raises PageError for pages that are no article: empty, not-html, truncated, no-headline.
        """
        # Imported here: the fallback is a subclass, so it cannot be imported at module load.
        from newscrawl.pages.fallback import FallbackArticlePage

        text = document.check(html, content_type)
        doc = document.parse(text)
        page_class: type[ArticlePage] = FallbackArticlePage
        container = None
        for layout in cls._layouts:
            if select(doc, layout.MARKER_CSS):
                container = select_first(doc, *layout.BODY_CSS)
                if container is not None:
                    page_class = layout
                    break
        if page_class is FallbackArticlePage and select(doc, cls.GALLERY_CSS):
            raise NotAStoryError(GALLERY)
        page = page_class(url, text, doc=doc)
        if page_class is not FallbackArticlePage and not _finds_own_container(page_class):
            # What _body_container would find again: the same selectors on the same document.
            page.__dict__["_body_container"] = container
        if page.title() is None:
            raise PageError(NO_HEADLINE)
        return page

    def field_sources(self) -> dict[str, ValueSource]:
        """Where each record field this page gives was read, by record field name (crawl
        context such as ``crawled_at`` is not the page's). For ``newscrawl parse``."""
        paragraphs = self.paragraphs()
        summary = summary_of(self.description(), paragraphs)
        agency = find_agency(paragraphs[-1]) if paragraphs else None
        dateline = find_dateline(paragraphs[0]) if paragraphs else None
        section = self._section_label.source
        return {
            "url": ValueSource("url", "canonical form of the page URL"),
            "id": ValueSource("url", "sha256 of the canonical URL"),
            "title": self._title.source,
            "summary": self._description.source if summary else ValueSource(
                "none", f"the description ({self._description.source}) repeats the opening"
                if self.description() else "no description"),
            "body": self.body_source(),
            "published_at": self._published.source,
            "modified_at": self._modified.source,
            "authors": self._authors.source,
            "agency": ValueSource("body-text", "last paragraph") if agency else NOWHERE,
            "dateline": ValueSource("body-text", "first paragraph") if dateline else NOWHERE,
            "section": section if section is not NOWHERE else ValueSource(
                "default", "the section the crawl reads"),
            "tags": self._tags.source,
            "image": self._image.source,
            "premium": self._premium.source,
            "word_count": ValueSource("body-text", "words of the body"),
            "related.next_in": self._block_source(self.NEXT_IN_CSS, NEXT_IN_HEADING,
                                                  self.next_in_links()),
            "related.others_also_read": self._block_source(
                self.OTHERS_ALSO_READ_CSS, OTHERS_ALSO_READ_HEADING,
                self.others_also_read_links()),
            "extraction": ValueSource("default", f"layout {self.LAYOUT}"),
            "media": ValueSource("markup", self.VIDEO_CSS) if self.media() == "video"
            else ValueSource("default", "no video player"),
        }

    def to_data(self, continuation: str | None = None) -> ArticleData:
        """The story; for a long story, ``continuation`` is the fragment its link loads.

        Raises PageError(body-incomplete) for a long story without its continuation: a cut
        body is never returned as a story.
        """
        title = self.title()
        if title is None:
            raise PageError(NO_HEADLINE)
        paragraphs = self.whole_body(continuation)
        if not paragraphs:
            raise PageError(NO_BODY, f"layout {self.LAYOUT}")
        published = self.published_at()
        if published is None:
            raise PageError(NO_DATE)
        return ArticleData(
            title=title,
            summary=summary_of(self.description(), paragraphs),
            paragraphs=paragraphs,
            published_at=published,
            modified_at=self.modified_at(),
            authors=self.authors(),
            agency=find_agency(paragraphs[-1]),
            dateline=find_dateline(paragraphs[0]),
            section=self.section_label(),
            tags=self.tags(),
            image=self.image(),
            premium=self.premium(),
            next_in=self.next_in_links(),
            others_also_read=self.others_also_read_links(),
            extraction=self.EXTRACTION,
            layout=self.LAYOUT,
            media=self.media(),
        )


ArticlePage._layouts.append(ArticlePage)


def _finds_own_container(layout: type[ArticlePage]) -> bool:
    """Whether a layout overrides how the body container is found (then it is not preset)."""
    return any("_body_container" in vars(k) for k in layout.__mro__
               if not issubclass(ArticlePage, k))
