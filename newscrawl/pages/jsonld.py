"""The page's JSON-LD article object (``NewsArticle`` and kin), read leniently."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from newscrawl.pages.css import select
from newscrawl.pages.parsely import lenient_json

ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BlogPosting", "WebPage",
})
# The site's other template names the type in ``data-type`` (a script the browser ignores).
JSONLD_CSS = 'script[type="application/ld+json"], script[data-type="application/ld+json"]'


def article_object(doc: HtmlElement) -> dict[str, Any]:
    """The most article-like JSON-LD object of the page; ``{}`` when none or unreadable.

    A ``NewsArticle`` wins over a ``WebPage`` (section pages carry only the latter).
    """
    best: dict[str, Any] = {}
    for script in select(doc, JSONLD_CSS):
        try:
            data = lenient_json(script.text or "")
        except ValueError:
            continue  # a broken block must not cost the page its markup values
        for obj in _objects(data):
            kinds = obj.get("@type")
            kinds = set(kinds) if isinstance(kinds, list) else {kinds}
            if kinds & (ARTICLE_TYPES - {"WebPage"}):
                return obj
            if "WebPage" in kinds and not best:
                best = obj
    return best


def text_value(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def names(obj: dict[str, Any], key: str) -> tuple[str, ...]:
    """Names under ``key`` (``author``, ``creator``): a string, an object with ``name``, or a
    list of either; an object typed ``Organization`` is no person and is left out."""
    value = obj.get(key)
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in items:
        if isinstance(item, dict) and "Organization" in str(item.get("@type", "")):
            continue
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            found.append(name.strip())
    return tuple(found)


def keywords(obj: dict[str, Any]) -> tuple[str, ...]:
    value = obj.get("keywords")
    items = value if isinstance(value, list) else str(value or "").split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _objects(graph)
