"""One fetched page decoded, checked and parsed once; a page that is no HTML document gets a
reason (``empty``, ``not-html``, ``truncated``) instead of a half-read record."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from w3lib.encoding import html_to_unicode

from newscrawl.pages.values import PageError

EMPTY = "empty"
NOT_HTML = "not-html"
TRUNCATED = "truncated"

_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_TAG_RE = re.compile(r"<\s*(?:!doctype|html|head|body|meta|div|p|title)\b", re.IGNORECASE)
_END_RE = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)
# Binary formats that a misconfigured server may label text/html.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
# A complete page ends with </body> or </html>; trailing scripts after </body> are allowed.
_TAIL_WINDOW = 65536


def decode(body: str | bytes, content_type: str | None = None) -> str:
    """Text of the page: the HTTP charset, else the page's own ``<meta charset>``, else UTF-8."""
    if isinstance(body, str):
        return body
    _encoding, text = html_to_unicode(content_type, body)
    assert isinstance(text, str)
    return text


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
    if not _END_RE.search(text, max(0, len(text) - _TAIL_WINDOW)):
        raise PageError(TRUNCATED, "no closing </body> or </html>")
    return text


def parse(text: str) -> HtmlElement:
    """The parsed document; lxml repairs markup, so only an empty document fails here."""
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
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
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


def _is_html_type(content_type: str) -> bool:
    mime = content_type.split(";")[0].strip().lower()
    return not mime or "html" in mime or mime in ("text/plain", "application/octet-stream")
