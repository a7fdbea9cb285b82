"""Listing pages, RSS, robots.txt, 404 and the HTTP behaviour crawlers rely on."""

from __future__ import annotations

import http.client
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from replica_http import fetch

from newscrawl.replica import ReplicaServer
from newscrawl.replica.listing_render import PAGE_SIZE
from newscrawl.urls import canonical_url, listing_page_number

SECTION = "/aseanplus/aseanplus-news"


def listing_links(server: ReplicaServer, target: str) -> tuple[list[str], str | None]:
    tree = fetch(server, target).tree()
    hrefs = [a.get("href") for a in tree.cssselect("h2.f18 > a")]
    more = tree.cssselect("a#loadMorestories")
    return hrefs, more[0].get("href") if more else None


def test_load_more_walks_every_listed_story_once_newest_first(replica: ReplicaServer) -> None:
    expected = [a.url for a in replica.site.in_section()]
    assert len(expected) > PAGE_SIZE, "the fixtures fit on one listing page"
    seen: list[str] = []
    target: str | None = SECTION
    pages = 0
    while target is not None:
        pages += 1
        assert pages <= len(expected), "pagination does not end"
        hrefs, more = listing_links(replica, target)
        assert 0 < len(hrefs) <= PAGE_SIZE
        seen += [canonical_url(h, "https://www.thestar.com.my" + target) for h in hrefs]
        target = more
    assert seen == expected
    assert pages == -(-len(expected) // PAGE_SIZE)
    unlisted = [a for a in replica.site.articles if not a.listed or not a.in_section]
    assert unlisted and not {a.url for a in unlisted} & set(seen)


def test_hrefs_mix_relative_and_absolute_and_carry_kicker_and_summary(
    replica: ReplicaServer,
) -> None:
    tree = fetch(replica, SECTION).tree()
    hrefs = [a.get("href") for a in tree.cssselect("h2.f18 > a")]
    assert any(h.startswith("/") for h in hrefs)
    assert any(h.startswith("https://www.thestar.com.my/") for h in hrefs)
    first = replica.site.in_section()[0]
    entry = tree.cssselect("h2.f18")[0].getparent()
    assert entry.cssselect("a.kicker")[0].text_content().strip() == first.section
    assert first.summary in entry.text_content()
    pager = [a.get("href") for a in tree.cssselect("ul.pager > li > a")]
    assert pager and all(listing_page_number(h) >= 1 for h in pager)


def test_parameter_order_and_bycat_do_not_matter(replica: ReplicaServer) -> None:
    plain = listing_links(replica, f"{SECTION}?pgno=2")[0]
    assert plain
    assert listing_links(replica, f"{SECTION}?bycat=116&pgno=2")[0] == plain
    assert listing_links(replica, f"{SECTION}?pgno=2&bycat=116")[0] == plain
    assert listing_links(replica, f"{SECTION}?pgno=1")[0] == listing_links(replica, SECTION)[0]


def test_a_page_past_the_end_has_no_stories_and_no_load_more(replica: ReplicaServer) -> None:
    last = -(-len(replica.site.in_section()) // PAGE_SIZE)
    page = fetch(replica, f"{SECTION}?pgno={last + 1}")
    assert page.status == 200
    assert listing_links(replica, f"{SECTION}?pgno={last + 1}") == ([], None)
    assert listing_links(replica, f"{SECTION}?pgno={last}")[1] is None


def test_rss_lists_the_newest_listed_stories(replica: ReplicaServer) -> None:
    page = fetch(replica, "/rss/aseanplus")
    assert page.status == 200 and "xml" in page.headers["content-type"]
    root = ET.fromstring(page.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    newest = replica.site.in_section()[: len(items)]
    assert 0 < len(items) <= 20
    assert len(items) == min(20, len(replica.site.in_section()))
    assert [i.findtext("link") for i in items] == [a.url for a in newest]
    assert [i.findtext("title") for i in items] == [a.title for a in newest]
    for item, article in zip(items, newest, strict=True):
        text = item.findtext("pubDate") or ""
        assert re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+08:00",
                            text)
        assert parsedate_to_datetime(text.replace("+08:00", "+0800")) == article.published


def test_robots_allows_the_section(replica: ReplicaServer) -> None:
    page = fetch(replica, "/robots.txt")
    assert page.status == 200 and page.headers["content-type"].startswith("text/plain")
    assert "Allow: /aseanplus/" in page.text and "Disallow: /search" in page.text


def test_unknown_paths_get_a_real_404_page(replica: ReplicaServer) -> None:
    for target in ("/aseanplus/aseanplus-news/2025/01/01/no-such-story", "/nope.php",
                   "/api/others-also-read?path=/nope"):
        page = fetch(replica, target)
        assert page.status == 404
    page = fetch(replica, "/aseanplus/aseanplus-news/2025/01/01/no-such-story")
    assert page.tree().findtext(".//title") == "Page Not Found | The Star"


def test_trailing_slash_and_query_variants_reach_the_story(replica: ReplicaServer) -> None:
    article = replica.site.in_section()[0]
    moved = fetch(replica, article.path + "/")
    assert moved.status == 301 and moved.headers["location"] == article.path
    tracked = fetch(replica, article.path + "?utm_source=others")
    assert tracked.status == 200 and tracked.body == fetch(replica, article.path).body


def test_head_has_the_headers_and_no_body(replica: ReplicaServer) -> None:
    article = replica.site.in_section()[0]
    full = fetch(replica, article.path)
    head = fetch(replica, article.path, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(full.body))
    assert fetch(replica, article.path, method="POST").status == 405


def test_one_keep_alive_connection_serves_many_requests(replica: ReplicaServer) -> None:
    parts = urlsplit(replica.origin)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.connect()
        sock = conn.sock
        for article in replica.site.in_section()[:5]:
            conn.request("GET", article.path)
            response = conn.getresponse()
            assert response.status == 200 and response.getheader("Connection") == "keep-alive"
            assert article.title.encode() in response.read().replace(b"&#x27;", b"'")
            assert conn.sock is sock
    finally:
        conn.close()


def test_dates_render_in_malaysia_time(replica: ReplicaServer) -> None:
    article = replica.site.in_section()[0]
    tree = fetch(replica, article.path).tree()
    shown = tree.cssselect("meta[itemprop=datePublished]")[0].get("content")
    moment = datetime.strptime(shown, "%Y-%m-%d %H:%M:%S")
    assert moment == article.published.replace(tzinfo=None)
