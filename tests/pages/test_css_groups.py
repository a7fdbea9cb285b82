"""A group of simple selectors is evaluated in one walk of the tree (css.one_walk_xpath): it
must find exactly what cssselect's union finds, in the same order, on every saved page and for
every selector the page classes hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from cssselect import HTMLTranslator
from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from newscrawl.pages import ArticlePage, ListingPage, PageError, document, furniture
from newscrawl.pages.css import one_walk_xpath, select
from newscrawl.pages.fallback import FallbackArticlePage

ROOT = Path(__file__).resolve().parents[2]
SAVED = sorted((ROOT / "fixtures" / "pages").rglob("*.html"))
_TRANSLATOR = HTMLTranslator()


def class_selectors() -> set[str]:
    """Every CSS selector the page classes and the furniture list name."""
    found: set[str] = set()
    holders: list[object] = [*ArticlePage._layouts, FallbackArticlePage, ListingPage, furniture]
    for holder in holders:
        for name in dir(holder):
            if not name.endswith("_CSS"):
                continue
            value = getattr(holder, name)
            found.update([value] if isinstance(value, str) else
                         [v for v in value if isinstance(v, str)])
    return found


GROUPS = sorted(css for css in class_selectors() if one_walk_xpath(css) is not None)


def union(css: str, node: HtmlElement) -> list[object]:
    found = etree.XPath(_TRANSLATOR.css_to_xpath(css))(node)
    assert isinstance(found, list)
    return found


def test_the_page_classes_have_groups_to_check() -> None:
    # The body's furniture list alone is a group of about twenty selectors.
    assert len(GROUPS) >= 10
    assert furniture.BODY_NOISE_CSS in GROUPS


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.stem)
def test_one_walk_finds_what_the_union_finds(path: Path) -> None:
    try:
        doc = document.parse(document.decode(path.read_bytes()))
    except PageError:
        pytest.skip("no document to select in")
    for css in GROUPS:
        expected = union(css, doc)
        found = select(doc, css)
        assert len(found) == len(expected), css
        assert all(a is b for a, b in zip(found, expected, strict=True)), css


def test_an_element_matching_several_members_comes_once_in_document_order() -> None:
    root = fragment_fromstring(
        '<div><p class="a b" id="x">1</p><span class="b">2</span><p id="y">3</p></div>')
    css = ".b, p, #x, .a"
    assert [el.text for el in select(root, css)] == ["1", "2", "3"]
    assert [el.text for el in select(root, css)] == [el.text for el in union(css, root)]


@pytest.mark.parametrize("css", [
    "div > a, p",          # a combinator: a path, not a test of one element
    "main p, a",
    "a::text, b",          # a pseudo-element
    "p",                   # nothing to group
    "p, , a",              # no selector at all
])
def test_groups_that_are_not_simple_keep_the_union(css: str) -> None:
    assert one_walk_xpath(css) is None
