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


def _page_selectors() -> list[str]:
    """Every CSS selector a page class or the furniture list names, each once."""
    from newscrawl.pages import ArticlePage, FallbackArticlePage, furniture, jsonld

    found: dict[str, None] = {}
    classes = [FallbackArticlePage, *ArticlePage._layouts]
    for cls in classes:
        for name in dir(cls):
            value = getattr(cls, name)
            if name.endswith("_CSS") and name.isupper():
                found.update(dict.fromkeys(value if isinstance(value, tuple) else (value,)))
    found.update(dict.fromkeys(f.css for f in furniture.STAR_FURNITURE))
    found.update(dict.fromkeys((jsonld.JSONLD_CSS, furniture.PAGE_FURNITURE_CSS)))
    return list(found)


@pytest.mark.parametrize(
    "css", [".a", "[class*=x]", "#i", "div.a.b", "a[href*='/t/']", "p[id^=z]", "[data-x]",
            ".a .b", "div > a.k", "a.k[data-t=A]", ".a, b[c$=d], :not(.a)", "[x*=']']",
            "b.a:first-child", "p + a.k", "p ~ a.k", "a.k:last-of-type", ".k:nth-child(3)",
            "div.a.b a.k", "div.a > .k[data-t]", ".a:not(.k)", "[c|=ad]", "div[class] i.b",
            "p.a#zi", "a.k[href*='/t/']", "p[id$=i].a[data-x]", "div.a.b > b.a", "a[x*=']'].k",
            ".a, .b, [class*=x], p", "[c|=ad], b[c=ad], b[c*=d], [id^=z], #i",
            "a[href$='/1'], a[x], a[data-t^=A], i"])
def test_a_selector_finds_what_cssselect_finds(css: str) -> None:
    from cssselect import HTMLTranslator
    from lxml import etree
    from lxml.html import document_fromstring

    doc = document_fromstring(
        "<div class=' a  b '><b class='a'>0</b><p class='a' id='zi' data-x>1</p>"
        "<a class='k' data-t='A' href='/t/1' x=']'>2</a><b c='ad'><i class='b'>3</i></b>"
        "<span class='ab'>4</span><a class='k'>5</a></div><div id='i' class='x'></div>")
    expected = etree.XPath(HTMLTranslator().css_to_xpath(css))(doc)
    assert select(doc, css) == expected
    assert expected or css.startswith(":not")  # the cases find something to compare


def test_every_page_selector_finds_what_cssselect_finds_on_every_saved_page() -> None:
    """The translation (css._Translator walks one attribute's nodes for a one-attribute
    selector) must find the elements cssselect's own translation finds, in the same order."""
    from pathlib import Path

    from cssselect import HTMLTranslator
    from lxml import etree

    from newscrawl.pages import PageError, document

    pages = sorted((Path(__file__).parents[2] / "fixtures" / "pages").glob("*.html"))
    selectors = _page_selectors()
    plain = {css: etree.XPath(HTMLTranslator().css_to_xpath(css)) for css in selectors}
    compared = 0
    for path in pages:
        try:
            doc = document.parse(document.decode(path.read_bytes()))
        except PageError:  # bad pages are fixtures too: nothing to select
            continue
        for css in selectors:
            found = select(doc, css)
            assert found == plain[css](doc), (path.name, css)
            compared += bool(found)
    assert compared > 100
