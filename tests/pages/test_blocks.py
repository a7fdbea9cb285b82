"""The "Next In" and "Others Also Read" blocks, found by markup or by their heading text."""

from __future__ import annotations

import pytest

from newscrawl.pages import ArticlePage

from .snippets import URL, article_html

FIRST = "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/22/first"
SECOND = "https://thestar.com.my/aseanplus/aseanplus-news/2025/05/21/second/"
LIST = (f'<ul><li><a href="/aseanplus/aseanplus-news/2025/05/22/first">First</a></li>'
        f'<li><a href="{SECOND}">Second</a></li></ul>')
OAR_FILLED = ('<ul><li><a href="/news/nation/2025/05/20/x?utm_source=others">X</a></li>'
              '<li><a href="https://thestar.com.my/aseanplus/aseanplus-news/2025/05/19/y">Y</a>'
              "</li></ul>")


def page(next_in: str, others: str = "") -> ArticlePage:
    return ArticlePage.for_page(URL, article_html(next_in=next_in, others=others))


@pytest.mark.parametrize(
    "markup",
    [
        f'<section class="side-stories"><h3>Next In Aseanplus News</h3>{LIST}</section>',
        f'<div class="x1"><div class="x2"><span>Next In</span> <a href="/aseanplus/aseanplus-news">'
        f"Aseanplus News</a></div></div>{LIST}",
        f'<div class="qq"><h2 class="zz">Next In <a href="/aseanplus/aseanplus-news">Aseanplus '
        f"News</a></h2>{LIST}</div>",
        f'<div class="next-in-block"><div class="title">Next in Aseanplus News</div>{LIST}</div>',
        f"<aside><p><strong>Next In Aseanplus News</strong></p><div>{LIST}</div></aside>",
        f"<div><h3><span>Next</span> In Aseanplus News</h3>{LIST}</div>",
        f"<div><h3><i>x</i> Next In Aseanplus News</h3>{LIST}</div>".replace("<i>x</i> ", ""),
        f"<div><h3><i></i> NEXT IN ASEANPLUS NEWS</h3>{LIST}</div>",
    ],
)
def test_next_in_found_whatever_the_classes(markup: str) -> None:
    links = page(markup).next_in_links()
    assert [link for link in links if "/2025/" in link] == [FIRST, SECOND]


def test_next_in_stops_at_the_next_heading() -> None:
    markup = f'<div><h3>Next In Aseanplus News</h3>{LIST}<h3>Trending</h3>{OAR_FILLED}</div>'
    assert page(markup).next_in_links() == (FIRST, SECOND)


def test_no_next_in_block_gives_no_links() -> None:
    assert page("").next_in_links() == ()


def test_others_also_read_empty_as_served() -> None:
    others = ('<section class="reco-stories"><h3>Others Also Read</h3><ul id="reco-list"></ul>'
              "</section>")
    got = page(f"<section><h3>Next In Aseanplus News</h3>{LIST}</section>", others)
    assert got.others_also_read_links() == ()
    assert got.next_in_links() == (FIRST, SECOND)


@pytest.mark.parametrize(
    "wrap",
    [
        '<section class="reco-stories"><h3>Others Also Read</h3>{}</section>',
        '<div class="a9"><div class="b9"><h4>Others Also Read</h4></div>{}</div>',
        '<div class="a9"><h4><b>Others</b> also read</h4>{}</div>',
    ],
)
def test_others_also_read_after_rendering(wrap: str) -> None:
    got = page("", wrap.format(OAR_FILLED)).others_also_read_links()
    assert got == (
        "https://www.thestar.com.my/news/nation/2025/05/20/x?utm_source=others",
        "https://thestar.com.my/aseanplus/aseanplus-news/2025/05/19/y",
    )


def test_heading_words_inside_the_body_are_not_a_block() -> None:
    from .snippets import body_div

    body = body_div(("BEIJING: Next in line is the trade deal.", "Others also read it. - AFP"))
    got = ArticlePage.for_page(URL, article_html(body=body, next_in="", others=""))
    assert got.next_in_links() == ()
    assert got.others_also_read_links() == ()


@pytest.mark.parametrize("bad", ["http://[oops/", "//[oops/x", "https://[::1/y"])
def test_a_bad_next_in_href_is_dropped_and_the_story_still_parses(bad: str) -> None:
    markup = (f'<section class="side-stories"><h3>Next In Aseanplus News</h3><ul>'
              f'<li><a href="{bad}">Bad</a></li>{LIST[4:-5]}</ul></section>')
    data = page(markup).to_data()
    assert data.title
    assert data.next_in == (FIRST, SECOND)
