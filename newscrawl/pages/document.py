"""One fetched page decoded, checked and parsed once; a page that is no HTML document gets a
reason (``empty``, ``not-html``, ``truncated``) instead of a half-read record."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
)

from newscrawl.pages.charset import decode_html
from newscrawl.pages.nesting import unwrap_excess_nesting
from newscrawl.pages.values import PageError
from newscrawl.urls import is_parseable_url, join_url

EMPTY = "empty"
NOT_HTML = "not-html"
TRUNCATED = "truncated"
# Nested deeper than the parser goes even after unwrapping (nesting.py): what lay below is lost.
TOO_DEEP = "too-deep"

# huge_tree: the parser's depth limit is 2048 levels, not 256 (parsel and Scrapy's selectors
# set it too); its other limits guard against sizes the crawl's DOWNLOAD_MAXSIZE already bounds.
_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
# Every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python method called
# for each element proxy the reading makes (~80 a story page, ~10 % of reading it), only to
# give form controls their own classes, which no page class uses.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
_TOO_DEEP = "Excessive depth"
_TAG_RE = re.compile(r"<\s*(?:!doctype|html|head|body|meta|div|p|title)\b", re.IGNORECASE)
_END_RE = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)
# Binary formats that a misconfigured server may label text/html.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
# In a root-relative link, characters after which urljoin does more than prepend the origin
# (a character class: ~3x faster than a set of the link's characters).
_SPLITTING_RE = re.compile(r"[;?#\t\n\r]")
# A complete page ends with </body> or </html>; trailing scripts after </body> are allowed.
_TAIL_WINDOW = 65536


def decode(body: str | bytes, content_type: str | None = None) -> str:
    """Text of the page: BOM, HTTP charset, ``<meta charset>``, detector (see ``charset``)."""
    if isinstance(body, str):
        return body
    return decode_html(body, content_type).text


def check(body: str | bytes, content_type: str | None = None) -> str:
    """The decoded page, or PageError when it is empty, not HTML, or cut off."""
    if not body or not body.strip():
        raise PageError(EMPTY)
    if isinstance(body, bytes) and body.lstrip()[:8].startswith(_BINARY_MAGIC):
        raise PageError(NOT_HTML, "binary content")
    if content_type and not _is_html_type(content_type):
        raise PageError(NOT_HTML, content_type.split(";")[0].strip())
    text = decode(body, content_type)
    if "\x00" in text[:4096] or not _TAG_RE.search(text[:8192]):
        raise PageError(NOT_HTML, "no HTML markup")
    if not _ends(text, max(0, len(text) - _TAIL_WINDOW)):
        raise PageError(TRUNCATED, "no closing </body> or </html>")
    return text


def _ends(text: str, start: int) -> bool:
    """A closing ``</html>`` or ``</body>`` from ``start`` on. The usual spellings are found by
    plain search; the regex (any case, spaces), which tries a match at every ``<``, only when
    they are missing."""
    return (text.find("</html>", start) >= 0 or text.find("</body>", start) >= 0
            or _END_RE.search(text, start) is not None)


def parse(text: str) -> HtmlElement:
    """The parsed document; lxml repairs markup, so only an empty document fails here."""
    doc = _parse(text)
    if not _cut_by_depth():
        return doc
    # Deeper than the parser goes: it dropped what lay below its limit. Parsed again with the
    # excess wrappers unwrapped (nesting.py); only such pages pay for the scan. A page still
    # too deep would be read without its lower part: an error, never a half-read story.
    unwrapped, count = unwrap_excess_nesting(text)
    if count:
        doc = _parse(unwrapped)
    if not count or _cut_by_depth():
        raise PageError(TOO_DEEP, "nested deeper than the parser reads, even unwrapped")
    return doc


def _cut_by_depth() -> bool:
    """Whether the last parse stopped at the parser's depth limit (libxml2 logs it)."""
    return any(_TOO_DEEP in entry.message for entry in _PARSER.error_log)


def _parse(text: str) -> HtmlElement:
    try:
        return document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise PageError(EMPTY, str(exc)) from None


def collect_meta(doc: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents keyed by ``property``, ``name`` or ``itemprop`` (first one wins)."""
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        value = content.strip()
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), value)
    return found


def declared_url(body: str | bytes) -> str | None:
    """The URL a page gives for itself: ``<link rel="canonical">``, else ``og:url``; None for a
    page that names none or is no document (for a saved page read without its URL)."""
    try:
        doc = parse(decode(body))
    except PageError:
        return None
    for link in doc.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            return str(link.get("href")).strip()
    return collect_meta(doc).get("og:url") or None


def base_url(doc: HtmlElement, page_url: str) -> str | None:
    """The URL the page's relative links resolve against, as browsers do (HTML, "document base
    URL"): the first ``<base>`` with an ``href``, resolved against the page's URL, else the
    page's URL. None when that base is no http(s) URL (``javascript:``, ``data:``): a browser
    cannot resolve a relative link against it, so no relative link of the page is followed.

    A base on another origin is used as browsers use it: its links lead there, and the crawl's
    origin rules (not the page) keep them from being fetched.
    """
    for base in doc.iter("base"):
        href = base.get("href")
        if href is None:
            continue
        resolved = join_url(page_url, href.strip())
        if resolved is None or not resolved.lower().startswith(("http://", "https://")):
            return None
        return resolved
    return page_url


def resolve_href(base: str | None, href: str) -> str | None:
    """``href`` made absolute against ``base`` (``base_url``); None when it cannot be."""
    href = href.strip()
    # Most links are already absolute; urljoin costs more than the rest of a link's work.
    if href.startswith(("https://", "http://")):
        return href if is_parseable_url(href) else None  # ``http://[oops/`` is no URL
    if base is None:
        return None
    return _on_origin(base, href) or join_url(base, href)


def _on_origin(base: str, href: str) -> str | None:
    """``urljoin(base, href)`` for a root-relative link that urljoin would only put on the
    base's origin (most of the site's relative links), else None (then urljoin decides).

    urljoin parses the base and the link anew for every link (~10x a link's other work). It
    does more than prepend the origin only for a path with empty or dot segments, with
    ``;``, ``?`` or ``#`` after which it splits the path, with characters it removes (tabs,
    line breaks) or trims (a control character at the end): such links are left to it.
    """
    if (not href.startswith("/") or "//" in href or "/." in href or href[-1] <= " "
            or _SPLITTING_RE.search(href) is not None):
        return None
    origin = _origin(base)
    return origin + href if origin is not None else None


@lru_cache(maxsize=256)
def _origin(base: str) -> str | None:
    """``scheme://netloc`` of an http(s) base as urljoin reads it (scheme in lower case)."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _is_html_type(content_type: str) -> bool:
    mime = content_type.split(";")[0].strip().lower()
    return not mime or "html" in mime or mime in ("text/plain", "application/octet-stream")
