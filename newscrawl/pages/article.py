"""An article page of the current layout ("v1": ``div.headline.story-pg`` + ``div#story-body``).

Each value is read from its best source with fallbacks. Selectors are class constants: an
older or newer template is a subclass that overrides them and names the marker that picks it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.boilerplate import OTHERS_ALSO_READ_HEADING
from newscrawl.pages import blocks, document, jsonld, parsely
from newscrawl.pages.body import BodyText, read_container
from newscrawl.pages.continuation import BODY_INCOMPLETE, continuation_url, fragment_paragraphs
from newscrawl.pages.css import is_inside, select, select_first, squash, text_of, unique
from newscrawl.pages.dates import parse_machine_date, parse_visible_date
from newscrawl.pages.sources import NOWHERE, Found, ValueSource, first_match
from newscrawl.pages.summary import summary_of
from newscrawl.pages.titles import strip_site_suffix
from newscrawl.pages.values import (
    ArticleData,
    Extraction,
    ImageRef,
    Media,
    NotAStoryError,
    PageError,
)
from newscrawl.pages.wire import find_agency, find_dateline
from newscrawl.sections import section_of_path
from newscrawl.urls import site_path

NO_HEADLINE = "no-headline"
NO_BODY = "no-body"
NO_DATE = "no-date"
GALLERY = "gallery"

# Text nodes first (cheap), the exact test in Python: a badge that is only the word.
_PREMIUM_TEXT = etree.XPath("//body//text()[contains(., 'PREMIUM')]")
# The heading names the section ("Next In Aseanplus News", "Next In Nation").
NEXT_IN_HEADING = "Next In"
_SKIPPED_HREFS = ("javascript:", "mailto:", "#", "tel:")
# The site itself, listed among a story's creators: never an author.
SITE_ORGANISATIONS = frozenset({"the star online", "the star", "thestar", "thestar.com.my",
                                "star media group", "star media group berhad"})


class ArticlePage:
    """URL + HTML in, typed values out; nothing here knows about the crawl."""

    LAYOUT: ClassVar[str] = "v1"
    EXTRACTION: ClassVar[Extraction] = "site"
    # The page carries this layout when the marker matches (and its body container exists).
    MARKER_CSS: ClassVar[str] = "div.headline.story-pg, div#story-body"
    HEADLINE_CSS: ClassVar[tuple[str, ...]] = ("div.headline.story-pg h1", "h1")
    BODY_CSS: ClassVar[tuple[str, ...]] = ("div#story-body", "div.story.bot-15.relative")
    # Inside the body but not body text: captions, charts, ads, the plan box. (Scripts and
    # the like are never read as text anyway: see css.text_of.)
    BODY_NOISE_CSS: ClassVar[str] = (
        ".caption, .inline-caption, figure, [class*=flourish], [id^=div-gpt-ad], .ad, "
        "[class*=ad-slot], [class*=advert], [class*=plan-box], [class*=paywall], "
        "[class*=piano], .story-image, [class*=embeded-image], [class*=embedded-image], "
        "#related-stories-div, [id*=related-stories], [class*=related-stories]"
    )
    # Inside the body: elements whose whole paragraph is theirs (a chart, the load link).
    BODY_NOISE_HOLDER_CSS: ClassVar[str] = 'img.go-chart, a[onclick*="loadFull"]'
    # A long story: the page holds the first part, the link loads the rest from the site's
    # endpoint, keyed by the story's parse.ly guid.
    CONTINUATION_CSS: ClassVar[str] = 'a[onclick*="loadFull"]'
    CONTINUATION_PATH: ClassVar[str] = "/api/readmore/get/{guid}/"
    # A photo gallery: its album instead of a story body.
    GALLERY_CSS: ClassVar[str] = "div.album-content"
    VIDEO_CSS: ClassVar[str] = (
        "script[src*=jwplatform], script[src*=jwplayer], div[id^=jwplayer], "
        'iframe[src*="clips.thestar.com.my"], iframe[src*=jwplatform], iframe[src*=jwplayer]'
    )
    KICKER_CSS: ClassVar[tuple[str, ...]] = ('a.kicker[data-list-type="Article"]', "a.kicker")
    AUTHORS_CSS: ClassVar[tuple[str, ...]] = ("div.credit__authors > a", "p.byline a")
    DATE_CSS: ClassVar[tuple[str, ...]] = ("p.date",)
    TIME_CSS: ClassVar[tuple[str, ...]] = ("time.timestamp",)
    IMAGE_BOX_CSS: ClassVar[tuple[str, ...]] = ("div.story-image",)
    # Inside the image box:
    IMAGE_CSS: ClassVar[tuple[str, ...]] = ("img",)
    IMAGE_CAPTION_CSS: ClassVar[tuple[str, ...]] = (".caption", "figcaption", "p", "span")
    # The tag row's class is not known: links shaped like tags, else likely containers.
    TAG_ROW_CSS: ClassVar[str] = "[class*=story-tags], .tags, [class*=tag-list], [class*=keywords]"
    TAG_LINK_CSS: ClassVar[str] = 'a[href*="/tag/"]'

    # The badge, or the paywall's plan box (a free article never carries one in its HTML).
    # Element names keep the scan cheap; a badge of another shape is found by its word.
    PREMIUM_CSS: ClassVar[str] = (
        "span[class*=premium], div[class*=premium], img[alt=PREMIUM], div[class*=plan-box]"
    )
    # Guesses at the blocks' containers; the blocks are also found by their heading text.
    NEXT_IN_CSS: ClassVar[str] = "[class*=next-in], [id*=next-in]"
    OTHERS_ALSO_READ_CSS: ClassVar[str] = "[class*=also-read], [id*=also-read]"

    _layouts: ClassVar[list[type[ArticlePage]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass that names its own marker is a layout; later ones are tried first.
        if "MARKER_CSS" in cls.__dict__:
            ArticlePage._layouts.insert(0, cls)

    def __init__(self, url: str, html: str, *, doc: HtmlElement | None = None) -> None:
        self.url = url
        self.html = html
        self.doc = doc if doc is not None else document.parse(html)
        self._heading_cache: dict[str, list[HtmlElement]] = {}

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
        container: HtmlElement | None = None
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

    # -- values -------------------------------------------------------------------------
    # Each value is worked out once, with where it was found (``field_sources``).

    def title(self) -> str | None:
        return self._title.value

    @cached_property
    def _title(self) -> Found[str | None]:
        """JSON-LD headline, else ``og:title``, else the ``h1``: the first that is more than
        the site's name (which is taken off every one of them: a blank headline's og:title is
        ``| The Star``)."""
        found = jsonld.text_value(self._jsonld, "headline")
        title = strip_site_suffix(squash(found)) if found else ""
        if title:
            return Found(title, ValueSource("json-ld", "headline"))
        for name in ("og:title", "twitter:title"):
            og = self._meta.get(name)
            if og:
                title = strip_site_suffix(squash(og))
                if title:
                    return Found(title, ValueSource("meta", name))
                break  # an og:title that is only the suffix: the h1, not twitter:title
        h1 = first_match(self.doc, self.HEADLINE_CSS)
        title = strip_site_suffix(text_of(h1[0])) if h1 is not None else ""
        if h1 is not None and title:
            return Found(title, ValueSource("markup", h1[1]))
        return Found(None, NOWHERE)

    def description(self) -> str | None:
        return self._description.value

    @cached_property
    def _description(self) -> Found[str | None]:
        for value, source in (
            (jsonld.text_value(self._jsonld, "description"), ValueSource("json-ld", "description")),
            (self._meta.get("og:description"), ValueSource("meta", "og:description")),
            (self._meta.get("description"), ValueSource("meta", "description")),
            (self._meta.get("twitter:description"), ValueSource("meta", "twitter:description")),
            (parsely.text(self._parsely.get("summary")), ValueSource("parse.ly", "summary")),
        ):
            if value and squash(value):
                return Found(squash(value), source)
        return Found(None, NOWHERE)

    def paragraphs(self) -> tuple[str, ...]:
        return self._body.paragraphs

    def published_at(self) -> datetime | None:
        return self._published.value

    @cached_property
    def _published(self) -> Found[datetime | None]:
        for value, source in (
            (jsonld.text_value(self._jsonld, "datePublished"),
             ValueSource("json-ld", "datePublished")),
            (jsonld.text_value(self._jsonld, "dateCreated"), ValueSource("json-ld", "dateCreated")),
            (self._meta.get("datepublished"), ValueSource("meta", "datepublished")),
            (self._meta.get("article:published_time"),
             ValueSource("meta", "article:published_time")),
            (parsely.text(self._parsely.get("pub_date")), ValueSource("parse.ly", "pub_date")),
        ):
            parsed = parse_machine_date(value)
            if parsed is not None:
                return Found(parsed, source)
        date_el = first_match(self.doc, self.DATE_CSS)
        time_el = first_match(self.doc, self.TIME_CSS)
        visible = parse_visible_date(
            text_of(date_el[0]) if date_el is not None else None,
            text_of(time_el[0]) if time_el is not None else None,
        )
        if visible is None:
            return Found(None, NOWHERE)
        shown = ", ".join(found[1] for found in (date_el, time_el) if found is not None)
        return Found(visible, ValueSource("markup", shown))

    def modified_at(self) -> datetime | None:
        """When the story was edited; None when never (JSON-LD repeats the publication time)."""
        return self._modified.value

    @cached_property
    def _modified(self) -> Found[datetime | None]:
        published = self.published_at()
        for value, source in (
            (jsonld.text_value(self._jsonld, "dateModified"),
             ValueSource("json-ld", "dateModified")),
            (self._meta.get("datemodified"), ValueSource("meta", "datemodified")),
            (self._meta.get("article:modified_time"),
             ValueSource("meta", "article:modified_time")),
        ):
            parsed = parse_machine_date(value)
            if parsed is not None:
                if parsed == published:
                    return Found(None, ValueSource(source.kind, f"{source.detail} = published"))
                return Found(parsed, source)
        return Found(None, NOWHERE)

    def authors(self) -> tuple[str, ...]:
        """Byline links in page order; JSON-LD ``author``, else ``creator``, when the page shows
        none. The site's own name among them is no author."""
        return self._authors.value

    @cached_property
    def _authors(self) -> Found[tuple[str, ...]]:
        candidates = [([text_of(a) for a in select(self.doc, css)], ValueSource("markup", css))
                      for css in self.AUTHORS_CSS]
        candidates += [(list(jsonld.names(self._jsonld, key)), ValueSource("json-ld", key))
                       for key in ("author", "creator")]
        for names, source in candidates:
            people = unique(n for n in names if n.casefold() not in SITE_ORGANISATIONS)
            if people:
                return Found(people, source)
        return Found((), NOWHERE)

    def section_label(self) -> str | None:
        return self._section_label.value

    @cached_property
    def _section_label(self) -> Found[str | None]:
        """The first source the page offers: kicker, JSON-LD, parse.ly, meta, then the URL.

        Cached: the spider asks before to_data() does, and the kicker is searched page-wide.
        """
        kicker = first_match(self.doc, self.KICKER_CSS)
        if kicker is not None:
            text = text_of(kicker[0])
            if text:
                return Found(text, ValueSource("markup", kicker[1]))
        for value, source in (
            (jsonld.text_value(self._jsonld, "articleSection"),
             ValueSource("json-ld", "articleSection")),
            (parsely.text(self._parsely.get("section")), ValueSource("parse.ly", "section")),
            (parsely.text(self._parsely.get("articleSection")),
             ValueSource("parse.ly", "articleSection")),
            (self._meta.get("article:section"), ValueSource("meta", "article:section")),
        ):
            if value and squash(value):
                return Found(squash(value), source)
        # No label at all: the URL names the section (a template whose kicker is unknown).
        path = site_path(self.url)
        section = section_of_path(path) if path is not None else None
        if section is not None:
            return Found(section.label, ValueSource("url", "the section's path"))
        return Found(None, NOWHERE)

    def tags(self) -> tuple[str, ...]:
        """The tag row after the body in page order, else JSON-LD or meta keywords."""
        return self._tags.value

    @cached_property
    def _tags(self) -> Found[tuple[str, ...]]:
        body = self._body_container
        links = [a for a in select(self.doc, self.TAG_LINK_CSS)
                 if body is None or not is_inside(a, body)]
        if links:
            return Found(unique(text_of(a) for a in links),
                         ValueSource("markup", self.TAG_LINK_CSS))
        for row in select(self.doc, self.TAG_ROW_CSS):
            if body is None or not is_inside(row, body):
                names = unique(text_of(a) for a in row.iter("a"))
                if names:
                    return Found(names, ValueSource("markup", self.TAG_ROW_CSS))
        from_jsonld = jsonld.keywords(self._jsonld)
        if from_jsonld:
            return Found(unique(from_jsonld), ValueSource("json-ld", "keywords"))
        from_meta = unique(k.strip() for k in self._meta.get("keywords", "").split(","))
        return Found(from_meta, ValueSource("meta", "keywords") if from_meta else NOWHERE)

    def image(self) -> ImageRef | None:
        """The story image and its caption, else ``og:image`` (no caption), else None."""
        return self._image.value

    @cached_property
    def _image(self) -> Found[ImageRef | None]:
        box = self._image_box()
        img = first_match(box[0], self.IMAGE_CSS) if box is not None else None
        src = (img[0].get("src") or img[0].get("data-src") or "").strip() if img else ""
        if box is not None and img is not None and src and not src.startswith("data:"):
            caption_el = select_first(box[0], *self.IMAGE_CAPTION_CSS)
            caption = text_of(caption_el) if caption_el is not None else ""
            return Found(ImageRef(urljoin(self.url, src), caption or None),
                         ValueSource("markup", f"{box[1]} {img[1]}"))
        for og, source in ((self._meta.get("og:image"), ValueSource("meta", "og:image")),
                           (parsely.text(self._parsely.get("image_url")),
                            ValueSource("parse.ly", "image_url"))):
            if og:
                return Found(ImageRef(urljoin(self.url, og), None), source)
        return Found(None, NOWHERE)

    def _image_box(self) -> tuple[HtmlElement, str] | None:
        """The first image box outside the body (inside it are the story's inline images)."""
        body = self._body_container
        for css in self.IMAGE_BOX_CSS:
            for box in select(self.doc, css):
                if body is None or not is_inside(box, body):
                    return box, css
        return None

    def premium(self) -> bool:
        """Premium when any signal says so: JSON-LD ``isAccessibleForFree``, parse.ly
        ``is_premium``, a plan box or premium block. Without a machine-readable signal, a
        badge or the word on its own also counts."""
        return self._premium.value

    @cached_property
    def _premium(self) -> Found[bool]:
        signals = (
            (parsely.flag(self._jsonld.get("isAccessibleForFree"), negate=True),
             ValueSource("json-ld", "isAccessibleForFree")),
            (parsely.flag(self._parsely.get("is_premium")), ValueSource("parse.ly", "is_premium")),
        )
        for says, source in signals:
            if says:
                return Found(True, source)
        if self._body.plan_box:
            return Found(True, ValueSource("markup", "plan box in the body"))
        if select(self.doc, self.PREMIUM_CSS):
            return Found(True, ValueSource("markup", self.PREMIUM_CSS))
        for says, source in signals:
            if says is False:
                return Found(False, source)
        hits = _PREMIUM_TEXT(self.doc)
        if isinstance(hits, list) and any(str(hit).strip() == "PREMIUM" for hit in hits):
            return Found(True, ValueSource("markup", "the word PREMIUM on its own"))
        return Found(False, ValueSource("default", "no paywall sign"))

    def media(self) -> Media:
        """``video`` when the page embeds a video player (its text is the story), else text."""
        return "video" if select(self.doc, self.VIDEO_CSS) else "text"

    def continuation_url(self) -> str | None:
        """Where the rest of a long story's body is, if the page holds only its first part.

        Raises PageError(body-incomplete) when the page says there is more but not where.
        """
        guid = parsely.text(self._parsely.get("guid") or self._parsely.get("post_id"))
        return continuation_url(self.doc, self.url, link_css=self.CONTINUATION_CSS,
                                path_template=self.CONTINUATION_PATH, guid=guid)

    def next_in_links(self) -> tuple[str, ...]:
        return self._block_links(self.NEXT_IN_CSS, NEXT_IN_HEADING, OTHERS_ALSO_READ_HEADING)

    def others_also_read_links(self) -> tuple[str, ...]:
        """Empty on a page as served: the list is filled by JavaScript."""
        return self._block_links(
            self.OTHERS_ALSO_READ_CSS, OTHERS_ALSO_READ_HEADING, NEXT_IN_HEADING
        )

    def body_source(self) -> ValueSource:
        found = first_match(self.doc, self.BODY_CSS)
        return ValueSource("markup", found[1]) if found is not None else NOWHERE

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

    def _block_source(self, css: str, heading: str, links: tuple[str, ...]) -> ValueSource:
        if not links:
            return NOWHERE
        if self._headings(heading):
            return ValueSource("markup", f"links after the heading {heading!r}")
        return ValueSource("markup", css)

    def to_data(self, continuation: str | None = None) -> ArticleData:
        """The story; for a long story, ``continuation`` is the fragment its link loads.

        Raises PageError(body-incomplete) for a long story without its continuation: a cut
        body is never returned as a story.
        """
        title = self.title()
        if title is None:
            raise PageError(NO_HEADLINE)
        paragraphs = self.paragraphs()
        if continuation is not None:
            paragraphs += fragment_paragraphs(continuation, self.BODY_NOISE_CSS,
                                              self.BODY_NOISE_HOLDER_CSS)
        elif self.continuation_url() is not None:
            raise PageError(BODY_INCOMPLETE, "the continuation was not fetched")
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

    # -- parts read once per page -------------------------------------------------------

    @cached_property
    def _jsonld(self) -> dict[str, Any]:
        return jsonld.article_object(self.doc)

    @cached_property
    def _meta(self) -> dict[str, str]:
        return document.collect_meta(self.doc)

    @cached_property
    def _parsely(self) -> dict[str, Any]:
        return parsely.parsely_object(self._meta)

    @cached_property
    def _body_container(self) -> HtmlElement | None:
        return select_first(self.doc, *self.BODY_CSS)

    @cached_property
    def _body(self) -> BodyText:
        container = self._body_container
        if container is None:
            return BodyText((), plan_box=False)
        return read_container(container, self.BODY_NOISE_CSS, self.BODY_NOISE_HOLDER_CSS)

    def _block_links(self, css: str, heading: str, other: str) -> tuple[str, ...]:
        # The heading text is what is known of the site; the containers' classes are guesses.
        found = self._headings(heading)
        if found:
            links = blocks.links_after(found[0], self._headings(other))
        else:
            links = blocks.links_in(select(self.doc, css), heading)
        return tuple(self._absolute(a.get("href", "")) for a in links if _is_link(a))

    def _headings(self, text: str) -> list[HtmlElement]:
        # Each block's search stops at the other's heading: find each heading once per page.
        if text not in self._heading_cache:
            self._heading_cache[text] = blocks.find_headings(
                self.doc, text, self._body_container
            )
        return self._heading_cache[text]

    def _absolute(self, href: str) -> str:
        href = href.strip()
        # Most links are already absolute; urljoin costs more than the rest of a link's work.
        return href if href.startswith(("https://", "http://")) else urljoin(self.url, href)


ArticlePage._layouts.append(ArticlePage)


def _finds_own_container(layout: type[ArticlePage]) -> bool:
    """Whether a layout overrides how the body container is found (then it is not preset)."""
    return any("_body_container" in vars(k) for k in layout.__mro__ if k is not ArticlePage)


def _is_link(a: HtmlElement) -> bool:
    href = (a.get("href") or "").strip()
    return bool(href) and not href.lower().startswith(_SKIPPED_HREFS)
