from __future__ import annotations

import urllib.request

import pytest

from newscrawl.pages import PageError, RssFeedPage
from newscrawl.replica import ReplicaServer

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>x</title>
<item><title>One &amp; two</title><link>https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/23/one</link>
<pubDate>Fri, 23 May 2025 09:40:00 +08:00</pubDate></item>
<item><title>No date</title><link>/aseanplus/aseanplus-news/2025/05/22/two</link></item>
<item><title>No link</title></item>
</channel></rss>"""
URL = "https://www.thestar.com.my/rss/aseanplus"


def test_entries_with_links_titles_and_dates() -> None:
    entries = RssFeedPage(URL, FEED).to_data().entries
    assert [(e.url, e.title) for e in entries] == [
        ("https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/23/one", "One & two"),
        ("https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/22/two", "No date"),
    ]
    first = entries[0].published_at
    assert first is not None and first.isoformat() == "2025-05-23T09:40:00+08:00"
    assert entries[1].published_at is None


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Not found</body></html>", b"%PDF-1.4", b"<rss><channel><item>"],
)
def test_junk_is_not_rss(body: bytes) -> None:
    with pytest.raises(PageError) as caught:
        RssFeedPage(URL, body).to_data()
    assert caught.value.reason == "not-rss"


def test_entities_are_not_expanded() -> None:
    evil = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><item><title>&x;</title><link>/a/b/2025/01/01/c</link></item>"
            b"</channel></rss>")
    entries = RssFeedPage(URL, evil).to_data().entries
    assert "root:" not in entries[0].title


@pytest.mark.timeout(60)
def test_replica_feed(replica: ReplicaServer) -> None:
    with urllib.request.urlopen(replica.url("/rss/aseanplus")) as response:
        entries = RssFeedPage(URL, response.read()).to_data().entries
    expected = replica.site.in_section()[: len(entries)]
    assert entries
    assert [(e.url, e.title, e.published_at) for e in entries] == [
        (s.url, s.title, s.published) for s in expected
    ]


def test_an_item_with_an_unparseable_link_is_skipped() -> None:
    feed = FEED.replace(b"<title>No link</title>", b"<title>Bad</title><link>http://[oops/x</link>")
    entries = RssFeedPage(URL, feed).to_data().entries
    assert [e.title for e in entries] == ["One & two", "No date"]
