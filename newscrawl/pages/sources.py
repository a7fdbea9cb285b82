"""Where a page class found each value: JSON-LD, a meta tag, the markup, the URL, the body text,
the generic extractor. Pure values, so ``newscrawl parse`` can show how a page was read without
a second parser, and a test can pin which source a layout reads a field from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Literal, TypeVar

from lxml.html import HtmlElement

from newscrawl.pages.css import select

T = TypeVar("T")

SourceKind = Literal[
    "json-ld",  # the page's JSON-LD article object; detail: the key
    "meta",  # a <meta> tag; detail: its name or property
    "parse.ly",  # the page's parse.ly metadata (JSON in a <meta>); detail: the key
    "markup",  # an element of the page; detail: the CSS selector or heading that found it
    "url",  # the page's URL
    "body-text",  # read from the body's text; detail: which paragraph
    "extractor",  # the generic extractor (a layout nobody knows); detail: which one
    "default",  # no source on the page: the value the rule gives then
    "none",  # no value
]


@dataclass(frozen=True, slots=True)
class ValueSource:
    kind: SourceKind
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


NOWHERE = ValueSource("none")


@lru_cache(maxsize=512)
def known_source(kind: SourceKind, detail: str = "") -> ValueSource:
    """The one ``ValueSource`` of a kind and detail: a page reading names ~25 (every candidate
    source of a field, most never used), and a frozen dataclass costs ~1 µs to build."""
    return ValueSource(kind, detail)


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """A value and where it was read."""

    value: T
    source: ValueSource


def first_match(node: HtmlElement, selectors: tuple[str, ...]) -> tuple[HtmlElement, str] | None:
    """Like ``css.select_first``, with the selector that matched."""
    for css in selectors:
        found = select(node, css)
        if found:
            return found[0], css
    return None
