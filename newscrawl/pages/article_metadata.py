"""The story's metadata on an article page: headline, description, dates, authors, section
and tags, each read from its best source (JSON-LD, ``<meta>``, parse.ly, markup) with fallbacks."""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import ClassVar

from newscrawl.pages import jsonld, parsely
from newscrawl.pages.article_parts import ArticleParts
from newscrawl.pages.cached import cached_value
from newscrawl.pages.css import is_inside, select, squash, text_of, unique
from newscrawl.pages.dates import parse_machine_date, parse_visible_date
from newscrawl.pages.sources import NOWHERE, Found, first_match, known_source
from newscrawl.pages.titles import strip_site_suffix
from newscrawl.sections import section_of_path
from newscrawl.urls import site_path

# The site itself, listed among a story's creators: never an author.
SITE_ORGANISATIONS = frozenset({"the star online", "the star", "thestar", "thestar.com.my",
                                "star media group", "star media group berhad"})


class ArticleMetadata(ArticleParts):
    HEADLINE_CSS: ClassVar[tuple[str, ...]] = ("div.headline.story-pg h1", "h1")
    KICKER_CSS: ClassVar[tuple[str, ...]] = ('a.kicker[data-list-type="Article"]', "a.kicker")
    AUTHORS_CSS: ClassVar[tuple[str, ...]] = ("div.credit__authors > a", "p.byline a")
    DATE_CSS: ClassVar[tuple[str, ...]] = ("p.date",)
    TIME_CSS: ClassVar[tuple[str, ...]] = ("time.timestamp",)
    # The tag row's class is not known: links shaped like tags, else likely containers.
    TAG_ROW_CSS: ClassVar[str] = "[class*=story-tags], .tags, [class*=tag-list], [class*=keywords]"
    TAG_LINK_CSS: ClassVar[str] = 'a[href*="/tag/"]'

    # Each value is worked out once, with where it was found (``field_sources``).

    def title(self) -> str | None:
        return self._title.value

    @cached_value
    def _title(self) -> Found[str | None]:
        """JSON-LD headline, else ``og:title``, else the ``h1``: the first that is more than
        the site's name (which is taken off every one of them: a blank headline's og:title is
        ``| The Star``)."""
        found = jsonld.text_value(self._jsonld, "headline")
        title = strip_site_suffix(squash(found)) if found else ""
        if title:
            return Found(title, known_source("json-ld", "headline"))
        for name in ("og:title", "twitter:title"):
            og = self._meta.get(name)
            if og:
                title = strip_site_suffix(squash(og))
                if title:
                    return Found(title, known_source("meta", name))
                break  # an og:title that is only the suffix: the h1, not twitter:title
        h1 = first_match(self.doc, self.HEADLINE_CSS)
        title = strip_site_suffix(text_of(h1[0])) if h1 is not None else ""
        if h1 is not None and title:
            return Found(title, known_source("markup", h1[1]))
        return Found(None, NOWHERE)

    def description(self) -> str | None:
        return self._description.value

    @cached_value
    def _description(self) -> Found[str | None]:
        for value, source in (
            (jsonld.text_value(self._jsonld, "description"),
             known_source("json-ld", "description")),
            (self._meta.get("og:description"), known_source("meta", "og:description")),
            (self._meta.get("description"), known_source("meta", "description")),
            (self._meta.get("twitter:description"), known_source("meta", "twitter:description")),
            (parsely.text(self._parsely.get("summary")), known_source("parse.ly", "summary")),
        ):
            if value and squash(value):
                return Found(squash(value), source)
        return Found(None, NOWHERE)

    def published_at(self) -> datetime | None:
        return self._published.value

    @cached_value
    def _published(self) -> Found[datetime | None]:
        for value, source in (
            (jsonld.text_value(self._jsonld, "datePublished"),
             known_source("json-ld", "datePublished")),
            (jsonld.text_value(self._jsonld, "dateCreated"),
             known_source("json-ld", "dateCreated")),
            (self._meta.get("datepublished"), known_source("meta", "datepublished")),
            (self._meta.get("article:published_time"),
             known_source("meta", "article:published_time")),
            (parsely.text(self._parsely.get("pub_date")), known_source("parse.ly", "pub_date")),
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
        return Found(visible, known_source("markup", shown))

    def modified_at(self) -> datetime | None:
        """When the story was edited; None when never (JSON-LD repeats the publication time)."""
        return self._modified.value

    @cached_value
    def _modified(self) -> Found[datetime | None]:
        published = self.published_at()
        for value, source in (
            (jsonld.text_value(self._jsonld, "dateModified"),
             known_source("json-ld", "dateModified")),
            (self._meta.get("datemodified"), known_source("meta", "datemodified")),
            (self._meta.get("article:modified_time"),
             known_source("meta", "article:modified_time")),
        ):
            parsed = parse_machine_date(value)
            if parsed is not None:
                if parsed == published:
                    return Found(None, known_source(source.kind, f"{source.detail} = published"))
                return Found(parsed, source)
        return Found(None, NOWHERE)

    def authors(self) -> tuple[str, ...]:
        """Byline links in page order; JSON-LD ``author``, else ``creator``, when the page shows
        none. The site's own name among them is no author."""
        return self._authors.value

    @cached_value
    def _authors(self) -> Found[tuple[str, ...]]:
        # Each source is read only when those before it named nobody.
        for names, source in chain(
            (([text_of(a) for a in select(self.doc, css)], known_source("markup", css))
             for css in self.AUTHORS_CSS),
            ((jsonld.names(self._jsonld, key), known_source("json-ld", key))
             for key in ("author", "creator")),
        ):
            people = unique(n for n in names if n.casefold() not in SITE_ORGANISATIONS)
            if people:
                return Found(people, source)
        return Found((), NOWHERE)

    def section_label(self) -> str | None:
        return self._section_label.value

    @cached_value
    def _section_label(self) -> Found[str | None]:
        """The first source the page offers: kicker, JSON-LD, parse.ly, meta, then the URL.

        Cached: the spider asks before to_data() does, and the kicker is searched page-wide.
        """
        kicker = first_match(self.doc, self.KICKER_CSS)
        if kicker is not None:
            text = text_of(kicker[0])
            if text:
                return Found(text, known_source("markup", kicker[1]))
        for value, source in (
            (jsonld.text_value(self._jsonld, "articleSection"),
             known_source("json-ld", "articleSection")),
            (parsely.text(self._parsely.get("section")), known_source("parse.ly", "section")),
            (parsely.text(self._parsely.get("articleSection")),
             known_source("parse.ly", "articleSection")),
            (self._meta.get("article:section"), known_source("meta", "article:section")),
        ):
            if value and squash(value):
                return Found(squash(value), source)
        # No label at all: the URL names the section (a template whose kicker is unknown).
        path = site_path(self.url)
        section = section_of_path(path) if path is not None else None
        if section is not None:
            return Found(section.label, known_source("url", "the section's path"))
        return Found(None, NOWHERE)

    def tags(self) -> tuple[str, ...]:
        """The tag row after the body in page order, else JSON-LD or meta keywords."""
        return self._tags.value

    @cached_value
    def _tags(self) -> Found[tuple[str, ...]]:
        body = self._body_container
        links = [a for a in select(self.doc, self.TAG_LINK_CSS)
                 if body is None or not is_inside(a, body)]
        if links:
            return Found(unique(text_of(a) for a in links),
                         known_source("markup", self.TAG_LINK_CSS))
        for row in select(self.doc, self.TAG_ROW_CSS):
            if body is None or not is_inside(row, body):
                names = unique(text_of(a) for a in row.iter("a"))
                if names:
                    return Found(names, known_source("markup", self.TAG_ROW_CSS))
        from_jsonld = jsonld.keywords(self._jsonld)
        if from_jsonld:
            return Found(unique(from_jsonld), known_source("json-ld", "keywords"))
        from_meta = unique(k.strip() for k in self._meta.get("keywords", "").split(","))
        return Found(from_meta, known_source("meta", "keywords") if from_meta else NOWHERE)
