"""``<base href>``: a page's relative URLs resolve against it, as in a browser; a base that
leads off the site is reported, and its links resolve there (the frontier keeps them out)."""

from __future__ import annotations

import pytest

from newscrawl.pages import ArticlePage, ListingPage, document
from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.urls import SECTION_URL

from .snippets import HEAD, HEADER, URL, article_html

SITE = "https://www.thestar.com.my"
SECTION = f"{SITE}/aseanplus/aseanplus-news"
NEXT_IN = """<section><h3>Next In Aseanplus News</h3><ul>
<li><a href="20/first">First</a></li>
<li><a href="/aseanplus/aseanplus-news/2025/05/21/second">Second</a></li>
<li><a href="https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/19/third">Third</a></li>
</ul></section>"""
IMAGE = '<div class="story-image"><img src="img/1.jpg"><p class="caption">Cap</p></div>'


def page(base: str, next_in: str = NEXT_IN) -> ArticlePage:
    head = f'<base href="{base}">{HEAD}' if base else HEAD
    return ArticlePage.for_page(URL, article_html(head=head, next_in=next_in,
                                                  header=IMAGE + HEADER))


@pytest.mark.parametrize(("href", "expected"), [
    ("https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/", f"{SECTION}/2025/05/"),
    ("/aseanplus/aseanplus-news/2025/05/", f"{SECTION}/2025/05/"),  # relative to the page
    ("  /aseanplus/  ", f"{SITE}/aseanplus/"),
    ("", URL),  # an empty href is the page's own URL
])
def test_base_url_resolves_against_the_page(href: str, expected: str) -> None:
    doc = document.parse(f'<html><head><base href="{href}"></head><body><p>x</p></body></html>')
    assert document.base_url(doc, URL) == expected


def test_the_first_base_with_an_href_counts() -> None:
    doc = document.parse('<html><head><base target="_blank"><base href="https://a.example/x/">'
                         '<base href="https://b.example/"></head><body></body></html>')
    assert document.base_url(doc, URL) == "https://a.example/x/"


def test_without_a_base_the_page_url_is_the_base() -> None:
    assert document.base_url(document.parse("<html><body><p>x</p></body></html>"), URL) == URL


@pytest.mark.parametrize("href", ["javascript:void(0)", "data:text/html,x", "http://[oops/"])
def test_a_base_that_is_no_http_url_resolves_no_relative_link(href: str) -> None:
    read = page(href)
    assert read.base_url is None
    assert read.has_foreign_base()
    # Only the absolute link is left: a browser could not resolve the others either.
    assert read.next_in_links() == (f"{SECTION}/2025/05/19/third",)


def test_next_in_links_resolve_against_the_base() -> None:
    read = page("/aseanplus/aseanplus-news/2025/05/")
    assert read.next_in_links() == (
        f"{SECTION}/2025/05/20/first", f"{SECTION}/2025/05/21/second",
        f"{SECTION}/2025/05/19/third",
    )
    assert not read.has_foreign_base()
    # Without the base, the same href resolves against the page (a path no story has).
    assert page("").next_in_links()[0] == f"{SECTION}/2025/05/23/20/first"


def test_the_image_resolves_against_the_base() -> None:
    image = page("https://www.thestar.com.my/media/").image()
    assert image is not None and image.url == f"{SITE}/media/img/1.jpg"


def test_a_base_on_another_origin_leads_links_there_and_the_frontier_keeps_them_out() -> None:
    read = page("http://127.0.0.1:9/")
    assert read.has_foreign_base()
    links = read.next_in_links()
    assert links[:2] == ("http://127.0.0.1:9/20/first",
                         "http://127.0.0.1:9/aseanplus/aseanplus-news/2025/05/21/second")
    frontier = StoryFrontier(since=None, max_articles=None, wants=lambda url: True)
    assert [frontier.admit(href)[1] for href in links] == ["off-section", "off-section", "new"]


def test_a_base_on_the_other_site_host_is_not_foreign() -> None:
    assert not page("http://thestar.com.my/aseanplus/").has_foreign_base()


LISTING = """<html><head><base href="{base}"></head><body>
<h2 class="f18"><a href="2025/05/23/one">One</a></h2>
<a id="loadMorestories" href="?pgno=3">More</a></body></html>"""


def test_listing_links_resolve_against_the_base() -> None:
    listing = ListingPage(SECTION_URL + "?pgno=2",
                          LISTING.format(base="/aseanplus/aseanplus-news/"))
    data = listing.to_data()
    assert data.story_links == (f"{SECTION}/2025/05/23/one",)
    assert data.next_page == f"{SECTION}/?pgno=3"
    assert not listing.has_foreign_base()


def test_a_listing_with_a_foreign_base_says_so() -> None:
    listing = ListingPage(SECTION_URL, LISTING.format(base="https://evil.example/"))
    assert listing.has_foreign_base()
    assert listing.story_links() == ("https://evil.example/2025/05/23/one",)


# What the shortcut for root-relative links (document._on_origin) must agree with urljoin on:
# dot and empty segments, ";", "?", "#", characters urlsplit removes or trims, odd bases.
_HREF_PARTS = ("/", "a", ".", "..", "//", ";p", "?q=1", "#f", "%2e", " ", "\t", "\n", "\x01",
               "\\", ":", "@", "[", "é")
_BASES = (URL, "https://www.thestar.com.my", "HTTP://Example.COM:8080/a/b/?x#y",
          "https://user@host/", "http:/no-netloc", "mailto:x@y", "http://[oops/", "file:///tmp/x")


def test_relative_links_resolve_as_urljoin_resolves_them() -> None:
    from random import Random
    from urllib.parse import urljoin

    rng = Random(13)
    hrefs = ["/", "/a", "/a/", "/.a", "/a.", "/a/../b", "/a/./b", "/a//b", "/a;p", "/a?b#c",
             "/a\x01", "/a\t"]
    hrefs += ["/" + "".join(rng.choice(_HREF_PARTS) for _ in range(rng.randint(0, 6)))
              for _ in range(3000)]
    for base in _BASES:
        for href in hrefs:
            try:
                expected: str | None = urljoin(base, href.strip())
            except ValueError:
                expected = None
            assert document.resolve_href(base, href) == expected, (base, href)


def test_an_href_is_parseable_exactly_when_urlsplit_reads_it() -> None:
    from random import Random
    from urllib.parse import urlsplit

    from newscrawl.urls import is_parseable_url

    parts = ("http://", "https://", "//", "[", "]", "::1", "a", ":", "@", "/", "?", "#", "%",
             "\uff03", "\u2100", "é", " ", "\t", "1")
    rng = Random(13)
    for _ in range(5000):
        href = "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        try:
            urlsplit(href.strip())
            expected = True
        except ValueError:
            expected = False
        assert is_parseable_url(href) is expected, href
