from __future__ import annotations

import urllib.request

import pytest

from newscrawl.pages import ListingPage
from newscrawl.replica import ReplicaServer
from newscrawl.urls import SECTION_URL, canonical_url, is_section_article, unbase

PAGE = """<!DOCTYPE html><html><body>
<div class="row"><h2 class="f18"><a href="/aseanplus/aseanplus-news/2025/05/23/one">One</a>
</h2></div>
<div class="row"><h2 class="f18"><a href="https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/22/two">
Two</a></h2></div>
<div class="timeline-content"><a href="/aseanplus/aseanplus-news/2025/05/21/three">Three</a></div>
<ul class="section-listing"><li><a href="/aseanplus/aseanplus-news/2025/05/23/one">One</a></li></ul>
{more}
<ul class="pager"><li><a href="/aseanplus/aseanplus-news?bycat=116&amp;pgno=1">1</a></li>
<li><a href="/aseanplus/aseanplus-news?bycat=116&amp;pgno=3">3</a></li></ul>
</body></html>"""
BASE = "https://www.thestar.com.my/aseanplus/aseanplus-news"


def test_story_links_in_page_order_absolute_and_once() -> None:
    data = ListingPage(SECTION_URL + "?pgno=2", PAGE.format(more="")).to_data()
    assert data.story_links == (
        f"{BASE}/2025/05/23/one", f"{BASE}/2025/05/22/two", f"{BASE}/2025/05/21/three",
    )


def test_load_more_wins_over_pager() -> None:
    more = '<a id="loadMorestories" href="/aseanplus/aseanplus-news?pgno=3">Load More</a>'
    data = ListingPage(SECTION_URL + "?pgno=2", PAGE.format(more=more)).to_data()
    assert data.next_page == f"{BASE}?pgno=3"


def test_pager_link_to_the_following_page() -> None:
    data = ListingPage(SECTION_URL + "?pgno=2", PAGE.format(more="")).to_data()
    assert data.next_page == f"{BASE}?bycat=116&pgno=3"


def test_last_page_has_no_next() -> None:
    data = ListingPage(SECTION_URL + "?pgno=3", PAGE.format(more="")).to_data()
    assert data.next_page is None


@pytest.mark.timeout(60)
def test_replica_listing_pages_reach_every_listed_story(replica: ReplicaServer) -> None:
    url: str | None = replica.section_url
    found: list[str] = []
    pages = 0
    while url is not None and pages < 50:
        with urllib.request.urlopen(url) as response:
            data = ListingPage(url, response.read().decode("utf-8")).to_data()
        links = [unbase(link, replica.origin) for link in data.story_links]
        found += [canonical_url(link) for link in links if is_section_article(link)]
        url = data.next_page
        pages += 1
    expected = [story.url for story in replica.site.in_section()]
    assert found == expected


def test_a_bad_story_or_pager_href_is_skipped_and_counted() -> None:
    bad = ('<div class="timeline-content"><a href="http://[oops/">Bad</a></div>'
           '<ul class="pager"><li><a href="//[oops/?pgno=3">3</a></li></ul>')
    page = ListingPage(SECTION_URL + "?pgno=2", PAGE.format(more=bad))
    data = page.to_data()
    assert data.story_links == (
        f"{BASE}/2025/05/23/one", f"{BASE}/2025/05/22/two", f"{BASE}/2025/05/21/three",
    )
    assert data.next_page == f"{BASE}?bycat=116&pgno=3"
    assert page.bad_hrefs == 2


def test_a_bad_load_more_href_falls_back_to_the_pager() -> None:
    more = '<a id="loadMorestories" href="http://[oops/?pgno=3">Load More</a>'
    data = ListingPage(SECTION_URL + "?pgno=2", PAGE.format(more=more)).to_data()
    assert data.next_page == f"{BASE}?bycat=116&pgno=3"
