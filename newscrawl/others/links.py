"""Where links sit in a payload: JSON fields by key path, or the anchors of an HTML fragment.

A list's data comes as JSON of any shape (``items[].url``, ``result.docs[].link.href``…) or as
HTML. ``link_fields`` names every place holding link-like strings by a key path pattern
(list indexes written ``[]``), so one pattern found on one page reads the list on the next.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final
from urllib.parse import urljoin

from lxml import html as lxml_html

HTML_ANCHORS: Final = "html:a[href]"
# What ArticlePage skips as no link at all (see newscrawl.pages.article).
_SKIPPED: Final = ("javascript:", "mailto:", "#", "tel:")
_MAX_JSON_NODES: Final = 50_000


def absolute_link(base: str, href: str) -> str | None:
    """``href`` as the crawl records it in ``others_also_read`` (ArticlePage's rules)."""
    href = href.strip()
    if not href or href.lower().startswith(_SKIPPED):
        return None
    return href if href.startswith(("https://", "http://")) else urljoin(base, href)


def looks_like_link(value: str) -> bool:
    text = value.strip()
    return text.startswith(("http://", "https://", "/")) and " " not in text and len(text) > 1


def json_link_fields(data: Any) -> dict[str, list[str]]:
    """Key path pattern -> the link-like strings under it, in document order."""
    fields: dict[str, list[str]] = {}
    for path, value in _walk(data, "", [0]):
        if looks_like_link(value):
            fields.setdefault(path, []).append(value)
    return fields


def json_field_values(data: Any, field: str) -> list[str]:
    """The strings under ``field`` (a pattern from ``json_link_fields``), in document order."""
    return [value for path, value in _walk(data, "", [0]) if path == field]


def html_links(text: str) -> list[str]:
    """Hrefs of every anchor of an HTML document or fragment, in document order."""
    if not text.strip():
        return []
    try:
        root = lxml_html.fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    return [str(a.get("href")) for a in root.iter("a") if a.get("href")]


def payload_fields(body: str, content_type: str) -> dict[str, list[str]]:
    """Link fields of a response body: JSON by key path, HTML as ``HTML_ANCHORS``."""
    data = parse_json(body)
    if data is not None:
        return json_link_fields(data)
    if "html" in content_type.lower() or body.lstrip().startswith("<"):
        links = html_links(body)
        return {HTML_ANCHORS: links} if links else {}
    return {}


def field_values(body: str, field: str) -> list[str] | None:
    """The hrefs ``field`` names in ``body``; None when the body is not of the field's kind."""
    if field == HTML_ANCHORS:
        return html_links(body)
    data = parse_json(body)
    return None if data is None else json_field_values(data, field)


def parse_json(text: str) -> Any:
    """The JSON value of ``text`` (a JSONP wrapper ``cb({...})`` allowed), else None."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[0] not in "[{":
        start, end = stripped.find("("), stripped.rfind(")")
        if start <= 0 or end <= start:
            return None
        stripped = stripped[start + 1:end]
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def _walk(data: Any, path: str, budget: list[int]) -> Iterator[tuple[str, str]]:
    budget[0] += 1
    if budget[0] > _MAX_JSON_NODES:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key), budget)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value, f"{path}[]", budget)
    elif isinstance(data, str):
        yield path, data
