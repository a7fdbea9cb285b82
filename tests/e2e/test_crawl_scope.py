"""Every in-scope story exactly once, nothing else; "Others Also Read" needs the browser."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from crawling import CrawlResult, SiteTruth, run_crawl

from newscrawl.items import RECORD_FIELDS
from newscrawl.replica import ReplicaServer
from newscrawl.urls import (
    SECTION_LABEL,
    SITE_ORIGIN,
    canonical_listing_url,
    canonical_url,
    is_section_article,
    is_site_article,
    story_id,
)

pytestmark = pytest.mark.e2e

VIAS = {"listing", "rss", "next_in", "others_also_read", "start"}


def duplicates(urls: list[str]) -> dict[str, int]:
    return {url: n for url, n in Counter(urls).items() if n > 1}


def test_render_never_gets_each_listed_story_once_and_misses_exactly_the_unlisted(
        never_crawl: CrawlResult, truth: SiteTruth) -> None:
    assert never_crawl.returncode == 0, never_crawl.stderr[-2000:]
    assert never_crawl.records, "the crawl produced no story"
    assert duplicates(never_crawl.urls) == {}
    assert set(never_crawl.urls) == truth.listed
    assert truth.in_scope - set(never_crawl.urls) == truth.unlisted
    assert never_crawl.stat("newscrawl/rendered") == 0
    assert all(r["related"]["others_also_read"] == [] for r in never_crawl.records)


def test_records_carry_canonical_urls_and_where_they_were_found(never_crawl: CrawlResult) -> None:
    assert never_crawl.records
    for record in never_crawl.records:
        assert list(record) == list(RECORD_FIELDS)
        assert record["url"] == canonical_url(record["url"])
        assert record["url"].startswith(SITE_ORIGIN + "/aseanplus/aseanplus-news/")
        assert record["id"] == story_id(record["url"])
        assert record["section"] == SECTION_LABEL
        assert record["discovered_via"] in VIAS
        referrer = record["referrer"]
        assert referrer.startswith(SITE_ORIGIN + "/")
        assert referrer in (canonical_url(referrer), canonical_listing_url(referrer))
    counted = never_crawl.stats_under("newscrawl/items/")
    assert counted == dict(Counter(r["discovered_via"] for r in never_crawl.records))


def test_bad_pages_are_counted_and_quarantined_with_their_reason(
        never_crawl: CrawlResult, truth: SiteTruth) -> None:
    assert truth.bad, "the replica data holds no bad page to test with"
    assert never_crawl.stats_under("newscrawl/bad_page/") == dict(Counter(truth.bad.values()))
    quarantined = {q["url"]: q["reasons"] for q in never_crawl.quarantined}
    assert quarantined == {url: [reason] for url, reason in truth.bad.items()}
    assert all(q["stage"] == "parse" for q in never_crawl.quarantined)
    assert not set(truth.bad) & set(never_crawl.urls)


def test_each_bad_page_is_kept_raw_beside_the_quarantine(
        never_crawl: CrawlResult, truth: SiteTruth, replica: ReplicaServer) -> None:
    kept = {q["url"]: q["html_path"] for q in never_crawl.quarantined}
    for url in truth.bad:
        with urlopen(replica.url(urlsplit(url).path), timeout=10) as response:
            served = response.read()
        if served:  # byte for byte as served, the not-html page's PDF too
            assert Path(kept[url]).read_bytes() == served, url
        else:  # the empty page: nothing to keep, its reason says so
            assert kept[url] is None, url
    assert sum(path is not None for path in kept.values()) == len(truth.bad) - 1


def test_only_section_pages_are_requested(never_crawl: CrawlResult) -> None:
    discovered = sum(never_crawl.stats_under("newscrawl/discovered/").values())
    assert discovered > 0
    # Besides the stories: robots.txt, the RSS feed, the listing pages and the long stories'
    # continuations (one each: no fault here).
    others = (2 + never_crawl.stat("newscrawl/listing_pages")
              + never_crawl.stat("newscrawl/continuation/requested"))
    assert never_crawl.stat("downloader/request_count") == discovered + others


@pytest.mark.browser
def test_render_auto_gets_every_in_scope_story_once(
        auto_crawl: CrawlResult, truth: SiteTruth) -> None:
    assert auto_crawl.returncode == 0, auto_crawl.stderr[-2000:]
    assert auto_crawl.records, "the crawl produced no story"
    assert duplicates(auto_crawl.urls) == {}
    assert set(auto_crawl.urls) == truth.in_scope
    found = {r["url"]: r for r in auto_crawl.records}
    assert truth.unlisted, "the replica data holds no story reachable only by Others Also Read"
    for url in truth.unlisted:
        assert found[url]["discovered_via"] == "others_also_read"
        assert found[found[url]["referrer"]]["related"]["others_also_read"].count(url) == 1


@pytest.mark.browser
def test_render_auto_reads_each_others_also_read_list(
        auto_crawl: CrawlResult, truth: SiteTruth) -> None:
    assert auto_crawl.records
    for record in auto_crawl.records:
        expected = list(dict.fromkeys(
            canonical_url(href, record["url"]) for href in truth.others_also_read[record["url"]]
            if is_site_article(canonical_url(href, record["url"]))
        ))
        assert record["related"]["others_also_read"] == expected, record["url"]
    assert auto_crawl.stat("newscrawl/rendered") == len(auto_crawl.records)
    assert auto_crawl.stat("newscrawl/render_failed") == 0
    # The wait ends on links when the list gets some, and on a quiet page when it stays empty.
    with_list = sum(1 for url in auto_crawl.urls if truth.others_also_read[url])
    assert auto_crawl.stat("newscrawl/render/list_filled") == with_list
    assert auto_crawl.stat("newscrawl/render/list_empty") == len(auto_crawl.urls) - with_list
    # Only the page's own origin: images and third-party hosts never reach the network.
    assert auto_crawl.stat("playwright/request_count/aborted") > 0


@pytest.mark.browser
def test_links_leaving_the_section_are_counted_not_followed(
        auto_crawl: CrawlResult, truth: SiteTruth) -> None:
    leaving = 0
    for url in auto_crawl.urls:
        links = {canonical_url(href, url) for href in truth.others_also_read[url]}
        leaving += sum(1 for link in links if not is_section_article(link))
    assert leaving > 0, "the replica data has no link leaving the section"
    assert auto_crawl.stat("newscrawl/offsection_links") == leaving
    discovered = sum(auto_crawl.stats_under("newscrawl/discovered/").values())
    others = (2 + auto_crawl.stat("newscrawl/listing_pages") + auto_crawl.stat("newscrawl/rendered")
              + auto_crawl.stat("newscrawl/continuation/requested"))
    assert auto_crawl.stat("downloader/request_count") == discovered + others


@pytest.mark.parametrize(("browser", "message"), [("/nonexistent/chromium", "no browser found"),
                                                  ("/bin/false", "the browser did not start")])
def test_render_auto_without_a_browser_says_so_once_and_crawls_on(
        replica: ReplicaServer, tmp_path: Path, truth: SiteTruth,
        browser: str, message: str) -> None:
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=[f"NEWSCRAWL_BROWSER_PATH={browser}"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.urls) == truth.listed
    assert duplicates(result.urls) == {}
    said = [line for line in result.stderr.splitlines() if message in line]
    assert len(said) == 1, said
    assert "Others Also Read" in said[0]
