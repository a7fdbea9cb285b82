from __future__ import annotations

import pytest
from lxml.html import fragment_fromstring

from newscrawl.pages.css import select, squash, text_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a  b", "a b"), (" a\n b ", "a b"), ("a \t\n b", "a b"), ("RM13.90\xa0a", "RM13.90\xa0a")],
)
def test_squash_collapses_ascii_whitespace_only(raw: str, expected: str) -> None:
    assert squash(raw) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>plain</p>", "plain"),
        ("<p>one <em>two</em> three</p>", "one two three"),
        ("<p>line<br>break</p>", "line break"),
        ("<p>said<script>var x = 1;</script> so</p>", "said so"),
        ("<p>said<noscript>Enable JS</noscript> so</p>", "said so"),
    ],
)
def test_text_of(html: str, expected: str) -> None:
    assert text_of(fragment_fromstring(html)) == expected


def test_text_of_skips_given_elements_but_keeps_their_tail() -> None:
    p = fragment_fromstring('<p>Minister<span class="x"> (pic)</span> spoke.</p>')
    assert text_of(p, set(select(p, "span.x"))) == "Minister spoke."
