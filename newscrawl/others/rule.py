"""A learned rule for the "Others Also Read" list: where its data is and how to read it.

Two kinds:
- ``fetch``: a request URL made of parts, each a literal or a value of the page (see
  ``page_values``), and the field of the response that holds the links;
- ``inline``: a JSON data block of the page itself, and the field that holds the links.

A rule is plain data (``to_json``/``from_json``), so the state store keeps it between runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from newscrawl.others.links import absolute_link, field_values, json_field_values
from newscrawl.others.page_values import PageValues

RuleKind = Literal["fetch", "inline"]
# How a part of a URL is made: ("lit", text), ("val", locator), ("origin", "") for the page's
# own origin, ("originof", locator) for the origin of a URL the page carries.
Source = tuple[str, str]
FORMAT: Final = 1


class RuleFormatError(ValueError):
    """A stored rule this version cannot read (it is then learned again)."""


@dataclass(frozen=True, slots=True)
class ListRule:
    kind: RuleKind
    field: str
    origin: Source = ("origin", "")
    path: tuple[Source, ...] = ()
    query: tuple[tuple[str, Source], ...] = ()
    block: str = ""

    def describe(self) -> str:
        if self.kind == "inline":
            return f"inline {self.block} -> {self.field}"
        path = "/".join(_show(part) for part in self.path)
        query = "&".join(f"{name}={_show(part)}" for name, part in self.query)
        return f"fetch {_show(self.origin)}/{path}{'?' + query if query else ''} -> {self.field}"

    def locators(self) -> frozenset[str]:
        """The page values and data blocks the rule reads (see ``read_page_values``)."""
        if self.kind == "inline":
            return frozenset({self.block})
        parts = [self.origin, *self.path, *(part for _, part in self.query)]
        return frozenset(name for kind, name in parts if kind in ("val", "originof"))

    # --- applying the rule ---------------------------------------------------------------

    def request_url(self, page: PageValues) -> str | None:
        """The URL of the list's request for ``page``; None when a value is missing."""
        origin = _value(self.origin, page)
        segments = [_value(part, page) for part in self.path]
        params = [(name, _value(part, page)) for name, part in self.query]
        if origin is None or any(s is None for s in segments) or any(
                v is None for _, v in params):
            return None
        path = "/" + "/".join(quote(str(s), safe="") for s in segments)
        query = urlencode([(n, str(v)) for n, v in params])
        return f"{origin}{path}{'?' + query if query else ''}"

    def same_request(self, page: PageValues, url: str) -> bool:
        """Whether ``url`` is the request this rule makes for ``page`` (encoding aside)."""
        built = self.request_url(page)
        return built is not None and request_key(built) == request_key(url)

    def links_from_body(self, body: str, base: str) -> tuple[str, ...] | None:
        """The list's links in a response body, as the crawl records them; None: unreadable."""
        hrefs = field_values(body, self.field)
        return None if hrefs is None else absolute_links(hrefs, base)

    def links_from_page(self, page: PageValues, base: str) -> tuple[str, ...] | None:
        """The list's links from the page's own data block (``inline``); None: no block."""
        if self.block not in page.blocks:
            return None
        return absolute_links(json_field_values(page.blocks[self.block], self.field), base)

    # --- storage -------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "kind": self.kind, "field": self.field,
                           "origin": list(self.origin), "path": [list(p) for p in self.path],
                           "query": [[n, list(p)] for n, p in self.query],
                           "block": self.block}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ListRule:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT or data["kind"] not in ("fetch", "inline"):
                raise RuleFormatError(f"unknown rule format {data.get('format')!r}")
            return cls(kind=data["kind"], field=str(data["field"]),
                       origin=_source(data["origin"]),
                       path=tuple(_source(p) for p in data["path"]),
                       query=tuple((str(n), _source(p)) for n, p in data["query"]),
                       block=str(data["block"]))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise RuleFormatError(f"unreadable stored rule: {error}") from None


def absolute_links(hrefs: list[str], base: str) -> tuple[str, ...]:
    return tuple(link for href in hrefs if (link := absolute_link(base, href)) is not None)


def request_key(url: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """A URL as a request compares: origin, decoded path segments, decoded query pairs."""
    parts = urlsplit(url)
    segments = tuple(unquote(s) for s in parts.path.split("/")[1:])
    return (f"{parts.scheme}://{parts.netloc}", segments,
            tuple(parse_qsl(parts.query, keep_blank_values=True)))


def _value(source: Source, page: PageValues) -> str | None:
    kind, name = source
    if kind == "lit":
        return name
    if kind == "origin":
        return page.origin
    value = page.values.get(name)
    if value is None or kind == "val":
        return value
    parts = urlsplit(value)  # "originof"
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def _source(raw: Any) -> Source:
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, str) for x in raw)):
        raise RuleFormatError(f"not a source: {raw!r}")
    if raw[0] not in ("lit", "val", "origin", "originof"):
        raise RuleFormatError(f"unknown source kind {raw[0]!r}")
    return raw[0], raw[1]


def _show(source: Source) -> str:
    kind, name = source
    return name if kind == "lit" else "{" + (f"{kind}:{name}" if name else kind) + "}"
