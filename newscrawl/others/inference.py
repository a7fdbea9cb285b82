"""Infer where the list came from, from one rendered page: pure, no network.

Input: the page's values (its HTML as served), the responses the browser received while
rendering it, and the links the rendered list showed. Output: every *candidate* rule whose
payload gives exactly those links, each part of its URL with every source that fits this page
(a literal, or each page value equal to it). Candidates of several pages with the same shape
are intersected (``Candidate.merge``): a part that is a literal on one page and the guid on
another keeps only the guid, so after a few pages the rule is what the script does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl, unquote, urlsplit

from newscrawl.others.links import json_link_fields, payload_fields
from newscrawl.others.page_values import PageValues
from newscrawl.others.rule import ListRule, RuleKind, Source, absolute_links

Sources = frozenset[Source]
Shape = tuple[str, str, str, int, tuple[str, ...]]
# Which source wins when several survive: the page's own values before literals, and among
# values the URL, then meta tags, attributes and script values.
_RANK: Final = {"origin": 0, "originof": 1, "val": 2, "lit": 9}
_LOCATOR_RANK: Final = {"page": 0, "meta": 1, "attr": 2, "script": 3}


@dataclass(frozen=True, slots=True)
class CapturedResponse:
    """One response the browser received while rendering a page."""

    url: str
    status: int
    content_type: str
    body: str


@dataclass(frozen=True, slots=True)
class Observation:
    """One rendered page: its values, what the browser fetched, and the list it showed."""

    page: PageValues
    base: str  # the story's canonical URL: relative list links are resolved against it
    responses: tuple[CapturedResponse, ...]
    rendered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: RuleKind
    field: str
    block: str = ""
    origin: Sources = frozenset()
    path: tuple[Sources, ...] = ()
    query: tuple[tuple[str, Sources], ...] = ()
    pages: int = 1

    @property
    def shape(self) -> Shape:
        return (self.kind, self.field, self.block, len(self.path),
                tuple(name for name, _ in self.query))

    def merge(self, other: Candidate) -> Candidate | None:
        """This candidate narrowed by another page's; None when a part fits no longer."""
        if other.shape != self.shape:
            return None
        origin = self.origin & other.origin
        path = tuple(a & b for a, b in zip(self.path, other.path, strict=True))
        query = tuple((name, a & b) for (name, a), (_, b) in
                      zip(self.query, other.query, strict=True))
        if self.kind == "fetch" and (not origin or not all(path) or
                                     not all(sources for _, sources in query)):
            return None
        return Candidate(self.kind, self.field, self.block, origin, path, query,
                         self.pages + other.pages)

    def to_rule(self) -> ListRule:
        if self.kind == "inline":
            return ListRule("inline", self.field, block=self.block)
        return ListRule("fetch", self.field, origin=_best(self.origin),
                        path=tuple(_best(p) for p in self.path),
                        query=tuple((name, _best(p)) for name, p in self.query))


def candidates(observation: Observation) -> list[Candidate]:
    """Every rule that explains this page's list; inline data first (it needs no request)."""
    wanted = observation.rendered
    if not wanted:
        return []  # an empty list says nothing about where a list comes from
    found: list[Candidate] = []
    for name, data in observation.page.blocks.items():
        for field, hrefs in json_link_fields(data).items():
            if absolute_links(hrefs, observation.base) == wanted:
                found.append(Candidate("inline", field, block=name))
    index = _value_index(observation.page)
    for response in observation.responses:
        if response.status != 200:
            continue
        for field, hrefs in payload_fields(response.body, response.content_type).items():
            if absolute_links(hrefs, observation.base) == wanted:
                found.append(_fetch_candidate(response.url, field, observation.page, index))
    return found


def narrow(known: Iterable[Candidate], observed: Iterable[Candidate]) -> list[Candidate]:
    """Known candidates merged with a new page's: shapes seen again are narrowed, new shapes
    added, shapes no longer fitting this page kept as they were (a page may lack a source)."""
    by_shape = {c.shape: c for c in known}
    for candidate in observed:
        earlier = by_shape.get(candidate.shape)
        if earlier is None:
            by_shape[candidate.shape] = candidate
            continue
        merged = earlier.merge(candidate)
        # A shape whose parts stop fitting restarts from this page: the site may have moved.
        by_shape[candidate.shape] = merged if merged is not None else candidate
    return list(by_shape.values())


def _fetch_candidate(url: str, field: str, page: PageValues,
                     index: dict[str, list[str]]) -> Candidate:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    origin_sources: set[Source] = {("lit", origin)}
    if origin == page.origin:
        origin_sources.add(("origin", ""))
    for locator, value in page.values.items():
        value_parts = urlsplit(value)
        if value_parts.scheme in ("http", "https") and \
                f"{value_parts.scheme}://{value_parts.netloc}" == origin:
            origin_sources.add(("originof", locator))
    segments = tuple(_sources(unquote(s), index) for s in parts.path.split("/")[1:])
    query = tuple((name, _sources(value, index))
                  for name, value in parse_qsl(parts.query, keep_blank_values=True))
    return Candidate("fetch", field, origin=frozenset(origin_sources), path=segments,
                     query=query)


def _sources(value: str, index: dict[str, list[str]]) -> Sources:
    return frozenset({("lit", value), *(("val", loc) for loc in index.get(value, ()))})


def _value_index(page: PageValues) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for locator, value in page.values.items():
        index.setdefault(value, []).append(locator)
    return index


def _best(sources: Sources) -> Source:
    def rank(source: Source) -> tuple[int, int, int, str]:
        kind, name = source
        prefix = name.partition(":")[0]
        return _RANK.get(kind, 5), _LOCATOR_RANK.get(prefix, 5), len(name), name

    return min(sources, key=rank)
