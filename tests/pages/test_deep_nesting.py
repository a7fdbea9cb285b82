"""Pages nested deeper than libxml2 goes keep their body (``pages.nesting``); a page too big to
unwrap within the bound is an error, never a half-read story."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement

from newscrawl.pages import ArticlePage, PageError, document
from newscrawl.pages.nesting import KEEP_BOTTOM, KEEP_TOP, MAX_TAGS, unwrap_excess_nesting

from .snippets import PARAGRAPHS, URL, article_html, body_div


def nested(depth: int, *, opener: str = "<div>", closer: str = "</div>") -> str:
    return article_html(body=opener * depth + body_div() + closer * depth)


def tree_depth(doc: HtmlElement) -> int:
    deepest = 0
    for el in doc.iter():
        deepest = max(deepest, sum(1 for _ in el.iterancestors()))
    return deepest


@pytest.mark.parametrize("depth", [300, 2_500, 20_000])
def test_a_deeply_nested_story_keeps_its_body_and_layout(depth: int) -> None:
    data = ArticlePage.for_page(URL, nested(depth)).to_data()
    assert data.paragraphs == PARAGRAPHS
    assert data.layout == "v1"
    assert data.tags == ("China", "US")  # what follows the nesting is read too
    assert len(data.next_in) == 2


@pytest.mark.parametrize("opener", ['<div class="wrap">', "<span>", "<font size=2>", "<b>"])
def test_unclosed_wrappers_of_any_kind(opener: str) -> None:
    data = ArticlePage.for_page(URL, nested(5_000, opener=opener, closer="")).to_data()
    assert data.paragraphs == PARAGRAPHS


def test_the_unwrapped_tree_is_bounded() -> None:
    doc = document.parse(nested(10_000))
    assert tree_depth(doc) <= KEEP_TOP + KEEP_BOTTOM + 8  # html, body, main, article …


def test_a_page_within_the_parser_limit_is_left_alone() -> None:
    text = nested(100)
    assert unwrap_excess_nesting(text) == (text, 0)


def test_tags_inside_scripts_and_comments_are_text() -> None:
    # Thousands of "<div>" that are no tags must not make the story's wrappers look deep.
    text = ("<html><body><script>" + "<div>" * 5_000 + "</script><!--" + "<div>" * 5_000
            + "--><div id=a>" + "<p>x</p></div></body></html>")
    assert unwrap_excess_nesting(text) == (text, 0)


def test_a_page_past_the_bound_is_too_deep_not_half_read() -> None:
    with pytest.raises(PageError) as raised:
        ArticlePage.for_page(URL, nested(MAX_TAGS // 2 + 1_000))
    assert raised.value.reason == document.TOO_DEEP
