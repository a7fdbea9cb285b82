"""R4: the crawl's boundaries on one small test-side site: redirects inside the site reach the
spider, loops and other origins are counted, URL variants are one story, sizes are bounded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest
from corpus_server import SECTION_PATH, CorpusServer, Route, listing_html
from crawling import CrawlResult, run_crawl
from malformed_corpus import Story, page, redirect, story_path

pytestmark = pytest.mark.e2e
SITE = "https://www.thestar.com.my"
OLD, NEW = story_path("old-address"), story_path("new-address")
LISTED_TARGET, ALIAS = story_path("listed-target"), story_path("alias-of-listed")
LOOP_A, LOOP_B = story_path("loop-a"), story_path("loop-b")
VARIANT = story_path("variant-only-story")


@pytest.fixture(scope="module")
def boundary_crawl(tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[tuple[CrawlResult, CorpusServer]]:
    base = Story()
    with CorpusServer() as site, CorpusServer() as trap:
        listed = [OLD, ALIAS, LISTED_TARGET, LOOP_A, story_path("refresh-away"),
                  story_path("giant-title"), story_path("many-authors"),
                  # One story linked only by spellings that differ in case and escapes.
                  VARIANT.replace("variant-only", "Variant-Only").upper().replace(
                      "/ASEANPLUS/ASEANPLUS-NEWS", "/Aseanplus/aseanplus%2Dnews"),
                  VARIANT.replace("-story", "%2Dstory")]
        site.routes.update({
            SECTION_PATH: Route(body=listing_html(listed)),
            OLD: redirect(NEW), NEW: page(replace(base, title="Moved story")),
            ALIAS: redirect(LISTED_TARGET), LISTED_TARGET: page(replace(base, title="Target")),
            LOOP_A: redirect(LOOP_B), LOOP_B: redirect(LOOP_A),
            story_path("refresh-away"): page(replace(base, head_extra=(
                f'<meta http-equiv="refresh" content="0; url={trap.origin}/">'))),
            story_path("giant-title"): page(replace(base, title="Giant " * 1000)),
            story_path("many-authors"): page(replace(base, authors=tuple(
                f"Writer {i}" for i in range(10_000)))),
            VARIANT: page(replace(base, title="Reached through a variant")),
        })
        result = run_crawl(tmp_path_factory.mktemp("r4"),
                           {"base_url": site.origin, "render": "never"})
        assert result.returncode == 0, result.stderr[-3000:]
        yield result, trap
        assert trap.requests == []


def test_a_301_from_story_to_story_reaches_the_spider(
        boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, _ = boundary_crawl
    assert SITE + NEW in result.urls
    assert result.stat("newscrawl/redirected/to_story") >= 1


def test_a_redirect_to_a_listed_story_publishes_it_once(
        boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, _ = boundary_crawl
    assert Counter(result.urls)[SITE + LISTED_TARGET] == 1
    dropped = result.stats_under("newscrawl/dropped/")
    assert dropped.get("redirect-to-seen", 0) + dropped.get("merged-with-redirect", 0) == 1


def test_a_redirect_loop_is_counted(boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, _ = boundary_crawl
    assert result.stat("newscrawl/dropped/redirect-loop") == 1


def test_a_meta_refresh_to_another_port_is_blocked_and_counted(
        boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, trap = boundary_crawl
    assert trap.requests == []
    assert result.stat("newscrawl/blocked/meta-refresh") == 1
    assert result.stat("newscrawl/dropped/offhost-meta-refresh") == 1


def test_url_variants_are_one_canonical_story(
        boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, _ = boundary_crawl
    assert Counter(result.urls)[SITE + VARIANT] == 1
    assert result.stat("newscrawl/offsection_links") == 0


def test_fields_past_their_bounds_are_quarantined_naming_the_field(
        boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, _ = boundary_crawl
    reasons = {q["url"]: q["reasons"] for q in result.quarantined}
    assert any(r.startswith("too-large: title ") for r in reasons[SITE + story_path(
        "giant-title")])
    assert any(r.startswith("too-large: authors ") for r in reasons[SITE + story_path(
        "many-authors")])


def test_every_listed_story_is_accounted_for(
        boundary_crawl: tuple[CrawlResult, CorpusServer]) -> None:
    result, _ = boundary_crawl
    requested = result.stat("newscrawl/discovered/listing")
    dropped = sum(result.stats_under("newscrawl/dropped/").values())
    assert len(result.records) + len(result.quarantined) + dropped == requested
