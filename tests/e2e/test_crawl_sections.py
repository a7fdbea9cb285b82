"""Sections as data, end to end on the replica: ``thestar`` on the default section is the
``aseanplus`` crawl, a Nation crawl gets Nation's listing (its own stories and the ones it
shares), and a crawl of two sections keeps a stop point per section across runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from crawling import CrawlResult, run_crawl
from crawling import listed_in as site_listed_in

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.e2e

ASEANPLUS = "aseanplus/aseanplus-news"
NATION = "news/nation"
# What differs between two crawls of the same site: the clock.
VARYING = ("crawled_at",)


def listed_in(replica: ReplicaServer, section_path: str) -> set[str]:
    return site_listed_in(replica.site, section_path)


def comparable(result: CrawlResult) -> dict[str, dict[str, Any]]:
    return {r["url"]: {k: v for k, v in r.items() if k not in VARYING} for r in result.records}


def crawl(workdir: Path, replica: ReplicaServer, section: str | None, *, run_id: str = "test",
          spider: str = "thestar", settings: tuple[str, ...] = ()) -> CrawlResult:
    arguments = {"base_url": replica.origin, "render": "never"}
    if section is not None:
        arguments["section"] = section
    result = run_crawl(workdir, arguments, spider=spider, run_id=run_id, user_feed=False,
                       settings=["CONCURRENT_REQUESTS=1", *settings])
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_thestar_on_the_default_section_gives_the_records_of_aseanplus(
        replica: ReplicaServer, tmp_path: Path) -> None:
    before = crawl(tmp_path / "aseanplus", replica, None, spider="aseanplus")
    after = crawl(tmp_path / "thestar", replica, ASEANPLUS)
    assert before.records, "the crawl produced no story"
    assert comparable(after) == comparable(before)
    assert {r["section"] for r in before.records} == {"Aseanplus News"}
    assert set(before.urls) == listed_in(replica, "/" + ASEANPLUS)


def test_a_nation_crawl_publishes_nations_listing_and_stops_at_its_own_point(
        replica: ReplicaServer, tmp_path: Path) -> None:
    first = crawl(tmp_path, replica, NATION, run_id="r1")
    expected = listed_in(replica, "/" + NATION)
    assert first.records, "the crawl produced no story"
    assert set(first.urls) == expected
    assert any("/aseanplus/" in url for url in expected), "the replica shares no story"
    # Shared stories too: the section the crawl found them in is the record's.
    assert {r["section"] for r in first.records} == {"Nation"}
    assert first.stat(f"newscrawl/listing_stop/{NATION}") == "no next page"
    assert first.stat("newscrawl/listing_pages") >= 2
    second = crawl(tmp_path, replica, NATION, run_id="r2")
    assert second.records == []
    assert second.stat("newscrawl/listing_pages") == 1
    assert second.stat(f"newscrawl/listing_stop/{NATION}") == "only known stories"


def test_two_sections_in_one_run_each_walk_and_stop_on_their_own(
        replica: ReplicaServer, tmp_path: Path) -> None:
    both = f"{ASEANPLUS},{NATION}"
    # Aseanplus News alone first: its stop point must not end Nation's first walk.
    alone = crawl(tmp_path, replica, None, spider="aseanplus", run_id="r1")
    assert alone.records and alone.stat("newscrawl/listing_stop") == "no next page"
    first = crawl(tmp_path, replica, both, run_id="r2")
    assert first.stat(f"newscrawl/listing_stop/{ASEANPLUS}") == "only known stories"
    assert first.stat(f"newscrawl/listing_stop/{NATION}") == "no next page"
    nation = listed_in(replica, "/" + NATION)
    asean = listed_in(replica, "/" + ASEANPLUS)
    # Nation's own stories are new; the ones it shares with Aseanplus News are known already.
    assert set(first.urls) == nation - asean
    assert {r["section"] for r in first.records} == {"Nation"}
    second = crawl(tmp_path, replica, both, run_id="r3")
    assert second.records == []
    assert second.stat("newscrawl/listing_pages") == 2  # page 1 of each listing
    assert second.stat(f"newscrawl/listing_stop/{ASEANPLUS}") == "only known stories"
    assert second.stat(f"newscrawl/listing_stop/{NATION}") == "only known stories"


def test_a_two_section_crawl_gives_each_story_the_section_of_its_url(
        replica: ReplicaServer, tmp_path: Path) -> None:
    result = crawl(tmp_path, replica, f"{NATION},{ASEANPLUS}")
    nation = listed_in(replica, "/" + NATION)
    asean = listed_in(replica, "/" + ASEANPLUS)
    assert result.records, "the crawl produced no story"
    assert set(result.urls) == nation | asean
    assert len(result.urls) == len(set(result.urls))
    for record in result.records:
        own = "Aseanplus News" if "/aseanplus/aseanplus-news/" in record["url"] else "Nation"
        assert record["section"] == own, record["url"]
