"""Which response a request target gets: the site's URL space mapped onto the renderers, cached.

Every page is a pure function of the site, so a rendered page is kept and served again as bytes;
that keeps the server far faster than any crawler that fetches from it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import parse_qsl, unquote

from newscrawl.replica.article_render import DRIFTED_BODY, render_article, spoil_markup
from newscrawl.replica.article_render_v2 import (
    READMORE_PATH,
    STORY_DIV,
    render_readmore,
    render_story_div,
)
from newscrawl.replica.assets import asset
from newscrawl.replica.feed_render import render_others_also_read, render_rss
from newscrawl.replica.listing_render import render_listing
from newscrawl.replica.others_source import OthersDelivery
from newscrawl.replica.render import ROBOTS_TXT, not_found_page, server_error_page
from newscrawl.replica.site import SECTION_PATH, Site

HTML: Final = "text/html; charset=utf-8"
PDF_BODY: Final = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                   b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                   b"trailer << /Root 1 0 R >>\n%%EOF\n")
CACHE_SIZE: Final = 4096
Kind = Literal["article", "readmore", "listing", "feed", "others", "other"]


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    kind: Kind = "other"

    def head(self, keep_alive: bool, length: int | None = None) -> bytes:
        lines = [f"HTTP/1.1 {self.status} {REASONS.get(self.status, 'Unknown')}",
                 f"Content-Type: {self.content_type}",
                 f"Content-Length: {len(self.body) if length is None else length}",
                 "Server: newscrawl-replica",
                 f"Connection: {'keep-alive' if keep_alive else 'close'}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


REASONS: Final = {200: "OK", 301: "Moved Permanently", 302: "Found", 400: "Bad Request",
                  404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests",
                  500: "Internal Server Error"}


def html(status: int, text: str, kind: Kind = "other",
         headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, HTML, text.encode("utf-8"), headers, kind)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, HTML, b"", (("Location", location),))


SERVER_ERROR: Final = html(500, server_error_page())


class SiteRouter:
    """Resolves ``path?query`` to a ``Response``; rendered pages are cached (bounded LRU)."""

    def __init__(self, site: Site, others: OthersDelivery | None = None) -> None:
        self.site = site
        self.others = others or OthersDelivery()
        self._cache: OrderedDict[tuple[str, str, bool], Response] = OrderedDict()
        # Long stories by the guid their continuation is fetched with.
        self._long = {a.guid: a for a in site.articles if a.is_long}

    def set_others(self, delivery: OthersDelivery) -> None:
        """Deliver the list another way from now on (rendered pages are forgotten)."""
        self.others = delivery
        self._cache.clear()

    def resolve(self, target: str, *, drifted: bool = False) -> Response:
        """The response for ``target``; ``drifted`` asks for the changed article layout."""
        path, _, query = target.partition("?")
        path = unquote(path)
        if path == SECTION_PATH:
            return self._cached("listing", str(_pgno(query)), False)
        if path == "/rss/aseanplus":
            return self._cached("rss", "", False)
        if path == "/robots.txt":
            return self._cached("robots", "", False)
        if path.startswith("/assets/"):
            return self._cached("asset", path, False)
        if path == self.others.api_path() and self.others.source == "api":
            return self._cached("api", dict(parse_qsl(query)).get(self.others.api_key(), ""),
                                False)
        if path.startswith(READMORE_PATH):
            # Before the trailing-slash redirect: the site's continuation URLs end with "/".
            return self._cached("readmore", path[len(READMORE_PATH):].strip("/"), False)
        if path in ("/", "/aseanplus"):
            return redirect(SECTION_PATH, 302)
        if len(path) > 1 and path.endswith("/"):
            # The site sends a trailing-slash link to the canonical path (query kept).
            return redirect(path.rstrip("/") + (f"?{query}" if query else ""))
        if self.site.get(path) is not None:
            return self._cached("article", path, drifted)
        return self._cached("404", path, False)

    def _cached(self, kind: str, key: str, drifted: bool) -> Response:
        cache_key = (kind, key, drifted)
        found = self._cache.get(cache_key)
        if found is not None:
            self._cache.move_to_end(cache_key)
            return found
        response = self._render(kind, key, drifted)
        self._cache[cache_key] = response
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return response

    def _render(self, kind: str, key: str, drifted: bool) -> Response:
        if kind == "listing":
            return html(200, render_listing(self.site, int(key)), "listing")
        if kind == "rss":
            return Response(200, "application/rss+xml; charset=utf-8",
                            render_rss(self.site).encode("utf-8"), kind="feed")
        if kind == "robots":
            return Response(200, "text/plain; charset=utf-8", ROBOTS_TXT.encode("utf-8"))
        if kind == "api":
            story = self.site.get(key)
            if story is None:
                return Response(404, "application/json", b'{"items": []}')
            return Response(200, "application/json; charset=utf-8",
                            render_others_also_read(story, self.site).encode("utf-8"))
        if kind == "article":
            return self._article(key, drifted)
        if kind == "readmore":
            long_story = self._long.get(key)
            if long_story is None:
                return html(404, not_found_page(READMORE_PATH + key + "/"))
            return html(200, render_readmore(long_story, self.site), "readmore")
        if kind == "asset":
            found = asset(key)
            if found is not None:
                return Response(200, found[0], found[1], (("Cache-Control", "max-age=86400"),))
        return html(404, not_found_page(key))

    def _article(self, path: str, drifted: bool) -> Response:
        story = self.site.get(path)
        assert story is not None  # resolve() checked it
        if story.fault == "empty":
            return Response(200, HTML, b"", kind="article")
        if story.fault == "not-html":
            return Response(200, "application/pdf", PDF_BODY, kind="article")
        if story.template == "story-div" or story.is_gallery:
            text = render_story_div(story, self.site, others=self.others)
            if drifted:
                text = text.replace(STORY_DIV, DRIFTED_BODY, 1)
        else:
            text = render_article(story, self.site, drifted=drifted, others=self.others)
        if story.fault == "broken-markup":
            text = spoil_markup(text)
        return html(200, text, "article")


def _pgno(query: str) -> int:
    """The listing page asked for; any parameter order, unreadable values mean page 1."""
    for key, value in parse_qsl(query):
        if key == "pgno" and value.isdigit() and int(value) > 0:
            return min(int(value), 1_000_000)
    return 1
