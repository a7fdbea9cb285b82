"""The values a page carries that a script may build a request from, each under a stable name.

A name (a *locator*) finds the same kind of value on another page of the site:
``page:path`` (the URL's path), ``meta:parsely-metadata/guid`` (a key of a meta tag's JSON),
``attr:ul#reco-list@data-widget`` (an attribute), ``script:siteId`` (a string or number a
script assigns). Script blocks that assign JSON (``window.__STATE__ = {...}``, or a
``<script type="application/json" id=...>``) are also returned whole, as *data blocks*.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit

from lxml import html as lxml_html
from lxml.html import HtmlElement

from newscrawl.others.links import parse_json

# `name: "value"`, `"name": 6`, `name = 'value'` inside scripts.
_SCRIPT_PAIR: Final = re.compile(
    r"""["']?([A-Za-z_$][\w$]*)["']?\s*[:=]\s*(?:"([^"\\\n]{1,300})"|'([^'\\\n]{1,300})'|(-?\d{1,12})\b)"""
)
# `window.__NAME__ = {` / `var NAME = [` : the start of an assigned JSON literal.
_ASSIGNED: Final = re.compile(r"(?:^|[;\s])((?:window\.|var\s+|let\s+|const\s+)?[A-Za-z_$][\w$.]*)"
                              r"\s*=\s*(?=[\[{])")
_MAX_SCRIPT: Final = 2_000_000
# Where an ``attr:`` locator's element name ends: its #id, .classes or @attribute.
_TAG_END: Final = re.compile(r"[#.@]")
_SKIPPED_ATTRS: Final = frozenset({"id", "class", "style", "href", "src"})
_JSON_DEPTH: Final = 4


@dataclass(frozen=True, slots=True)
class PageValues:
    """What one page offers: named string values and the JSON data blocks of its scripts."""

    url: str
    values: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, Any] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def read_page_values(url: str, html: str, *, doc: HtmlElement | None = None,
                     wanted: frozenset[str] | None = None) -> PageValues:
    """The named values of the page at ``url`` (the URL the browser loaded).

    ``doc``: the page already parsed (saves parsing it again). ``wanted``: the locators (and
    data block names) a rule reads; only those kinds of elements are visited then, which is
    what keeps a story's list as cheap as a plain page.
    """
    parts = urlsplit(url)
    values: dict[str, str] = {"page:url": url, "page:path": parts.path,
                              "page:slug": parts.path.rstrip("/").rsplit("/", 1)[-1]}
    blocks: dict[str, Any] = {}
    root = doc if doc is not None else _parse(html)
    if root is None:
        return PageValues(url, values, blocks)
    kinds = {name.partition(":")[0] for name in wanted} if wanted is not None else None
    if kinds is None or "meta" in kinds:
        for element in root.iter("meta"):
            _meta_values(element, values)
    if kinds is None or kinds & {"script", "var", "id"}:
        # A rule's script values: only scripts that name one are searched (the search was
        # half the cost of reading a story's values); data blocks only when the rule reads one.
        names = _wanted_names(wanted, "script") if wanted is not None else None
        read_blocks = kinds is None or bool(kinds & {"var", "id"})
        for element in root.iter("script"):
            _script_values(element, values, blocks, names=names, read_blocks=read_blocks)
    if kinds is None or "attr" in kinds:
        # A rule's attributes are on elements of known names: walking only those (not every
        # element of the page) was a third of the cost of reading a story's values.
        tags = tuple(_TAG_END.split(name, maxsplit=1)[0]
                     for name in _wanted_names(wanted, "attr")) if wanted is not None else ()
        for element in root.iter(*tags):
            if isinstance(element, HtmlElement) and element.tag not in ("meta", "script"):
                _attribute_values(element, values)
    return PageValues(url, values, blocks)


@functools.lru_cache(maxsize=16)
def _wanted_names(wanted: frozenset[str], kind: str) -> tuple[str, ...]:
    """The names of the wanted locators of one kind (``siteId`` of ``script:siteId``)."""
    prefix = f"{kind}:"
    return tuple(sorted(name.removeprefix(prefix) for name in wanted
                        if name.startswith(prefix)))


def _parse(html: str) -> HtmlElement | None:
    try:
        return lxml_html.fromstring(html) if html.strip() else None
    except (ValueError, lxml_html.etree.ParserError):
        return None


def _meta_values(element: HtmlElement, values: dict[str, str]) -> None:
    name = element.get("name") or element.get("property") or element.get("itemprop")
    content = element.get("content")
    if not name or content is None:
        return
    values.setdefault(f"meta:{name}", content)
    data = parse_json(content) if content.lstrip().startswith("{") else None
    if isinstance(data, dict):
        _json_scalars(data, f"meta:{name}", values, 0)


def _json_scalars(data: Any, prefix: str, values: dict[str, str], depth: int) -> None:
    if depth > _JSON_DEPTH:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            _json_scalars(value, f"{prefix}/{key}", values, depth + 1)
    elif isinstance(data, str | int) and not isinstance(data, bool):
        values.setdefault(prefix, str(data))


def _attribute_values(element: HtmlElement, values: dict[str, str]) -> None:
    own_id = element.get("id")
    data_attrs = [name for name in element.attrib if str(name).startswith("data-")]
    if not own_id and not data_attrs:
        return
    where = f"{element.tag}#{own_id}" if own_id else \
        f"{element.tag}.{'.'.join(sorted((element.get('class') or '').split()))}"
    for name, value in element.attrib.items():
        if name not in _SKIPPED_ATTRS and (own_id or str(name).startswith("data-")):
            values.setdefault(f"attr:{where}@{name}", str(value))


def _script_values(element: HtmlElement, values: dict[str, str], blocks: dict[str, Any], *,
                   names: tuple[str, ...] | None, read_blocks: bool) -> None:
    """``names``: only these script values are wanted (None: all)."""
    text = (element.text or "")[:_MAX_SCRIPT]
    if not text.strip():
        return
    if read_blocks:
        _block_values(element, text, blocks)
    if names is not None and not any(name in text for name in names):
        return  # no wanted name in this script: no wanted value either
    for name, double, single, number in _SCRIPT_PAIR.findall(text):
        values.setdefault(f"script:{name}", double or single or number)


def _block_values(element: HtmlElement, text: str, blocks: dict[str, Any]) -> None:
    kind = (element.get("type") or element.get("data-type") or "").lower()
    if "json" in kind:
        data = parse_json(text)
        if data is not None and element.get("id"):
            blocks.setdefault(f"id:{element.get('id')}", data)
        return
    for match in _ASSIGNED.finditer(text):
        data = _json_at(text, match.end())
        if data is not None:
            blocks.setdefault(f"var:{match.group(1).split()[-1]}", data)


def _json_at(text: str, start: int) -> Any:
    """The JSON literal that starts at ``text[start]``, if it is one."""
    try:
        data, _ = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return data
