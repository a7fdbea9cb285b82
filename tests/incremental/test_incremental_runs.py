"""Three runs on one state store, against a replica whose stories change between the first two.

Run 1 crawls a copy of the replica's data. Then two stories are published (one of them the same
wire story as an old one, at a new URL) and one recent story is edited. Run 2 must emit exactly
those three and fetch no known story outside the revisit window (the bad pages run 1 quarantined
are retried, as pending stories are); run 3, with nothing changed,
emits nothing and reads one listing page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from crawling import CrawlResult, SiteTruth, run_crawl
from site_edits import add_story, copy_site, copy_story, edit_story

from newscrawl.replica import ReplicaServer, load_site
from newscrawl.runs.monitor_report import MonitorReport
from newscrawl.urls import SITE_ORIGIN, canonical_url, story_id

pytestmark = pytest.mark.e2e

# The replica's newest story is of 2026-02-21 23:41 MYT: the 2-day window starts 2026-02-20
# 12:00 and holds the ten newest listed stories.
NOW = datetime.fromisoformat("2026-02-22T12:00:00+08:00")
REVISIT_FROM = NOW - timedelta(days=2)
EDITED = "pezeshkian-says-iran-will-not-bow-to-pressure-amid-us-nuclear-talks"
WIRE = "senior-us-china-diplomats-hold-phone-call"  # 2025: far outside the window
RICE = ("vietnam-raises-rice-export-target-as-harvest-outlook-improves",
        "vietnam-sets-higher-rice-export-goal-on-strong-harvest-outlook")
NEW_TEXT = [
    "HANOI: Vietnam will open three new border gates with Laos next month to speed up trade in "
    "farm produce, the Industry and Trade Ministry said on Sunday (Feb 22).",
    "The gates in Nghe An, Ha Tinh and Quang Binh provinces will handle trucks carrying fruit, "
    "rice and timber, cutting waiting times that traders say can stretch over two days.",
    "Two-way trade between the neighbours rose 9 per cent last year to about US$2bil, official "
    "figures show, with Vietnamese exporters keen to use the Laos-China railway. - Reuters",
]


@dataclass(frozen=True)
class Runs:
    first: CrawlResult
    second: CrawlResult
    third: CrawlResult
    truth: SiteTruth  # of the first run's site
    fetched: tuple[dict[str, int], dict[str, int]]  # replica request counts in runs 2 and 3
    new: str  # URL of the new story
    copy: str  # URL of the wire story published again
    edited: str
    third_report: MonitorReport | None


def url_of(path: str) -> str:
    return SITE_ORIGIN + path


def story_paths(requests: dict[str, int]) -> set[str]:
    """The story pages among the replica's requested paths (``/section/y/m/d/slug``)."""
    return {path for path in requests if path.count("/") > 3}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    workdir = tmp_path_factory.mktemp("incremental")
    site = copy_site(workdir / "site")

    def crawl(server: ReplicaServer, run_id: str) -> CrawlResult:
        result = run_crawl(workdir, {"base_url": server.origin, "render": "never"},
                           settings=[f"NEWSCRAWL_NOW={NOW.isoformat()}"], run_id=run_id,
                           user_feed=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    first_site = load_site(site)
    with ReplicaServer(first_site) as server:
        first = crawl(server, "run1")

    new = add_story(site, "vietnam-to-open-three-border-gates-with-laos",
                    "2026-02-22T08:10:00+08:00", "Vietnam to open three border gates with Laos",
                    NEW_TEXT)
    copy = copy_story(site, WIRE, "us-china-diplomats-hold-call", "2026-02-22T09:30:00+08:00")
    edit_story(site, EDITED, "Iran will not bow to US pressure, says Pezeshkian",
               "TEHRAN: Iranian President Masoud Pezeshkian said on Saturday (Feb 21) that his "
               "country would never bow to pressure from Washington.",
               "2026-02-22T10:00:00+08:00")
    with ReplicaServer(load_site(site)) as server:
        second = crawl(server, "run2")
        fetched_second = server.requests()
        server.reset_requests()
        third = crawl(server, "run3")
        fetched_third = server.requests()
    edited = next(r["url"] for r in first.records if r["url"].endswith(EDITED))
    return Runs(first, second, third, SiteTruth.of(first_site), (fetched_second, fetched_third),
                url_of(new), url_of(copy), edited,
                MonitorReport.read(workdir / "data" / "monitors.json"))


def in_window(records: list[dict[str, Any]]) -> set[str]:
    return {r["url"] for r in records
            if datetime.fromisoformat(r["published_at"]) >= REVISIT_FROM}


def story_requests(result: CrawlResult) -> int:
    """Requests for story pages: all of them but robots.txt, the RSS feed, listing pages and
    long stories' continuations."""
    return (result.stat("downloader/request_count") - 2 - result.stat("newscrawl/listing_pages")
            - result.stat("newscrawl/continuation/requested"))


def test_the_first_run_gets_every_listed_story_once(runs: Runs) -> None:
    first = runs.first
    assert set(first.urls) == runs.truth.listed
    assert [r["version"] for r in first.records] == [1] * len(first.records)
    assert first.stat("newscrawl/listing_stop") == "no next page"


def test_url_variants_make_one_record(runs: Runs) -> None:
    # Next In links come as relative, www, bare host, http:// and trailing-slash variants.
    first = runs.first
    assert first.stat("newscrawl/links/seen") > len(first.records)
    ids = Counter(r["id"] for r in first.records)
    assert ids.most_common(1)[0][1] == 1
    assert all(r["url"] == canonical_url(r["url"]) and r["id"] == story_id(r["url"])
               for r in first.records)


def test_the_same_wire_story_at_two_urls_is_flagged_in_a_run(runs: Runs) -> None:
    by_slug = {r["url"].rsplit("/", 1)[1]: r for r in runs.first.records}
    raises, sets = (by_slug[slug] for slug in RICE)
    assert {raises["duplicate_of"], sets["duplicate_of"]} == {None, raises["id"]}


def test_the_second_run_emits_exactly_the_new_and_the_changed(runs: Runs) -> None:
    second = runs.second
    by_url = {r["url"]: r for r in second.records}
    assert sorted(by_url) == sorted([runs.new, runs.copy, runs.edited])
    assert (by_url[runs.new]["version"], by_url[runs.new]["duplicate_of"]) == (1, None)
    edited = by_url[runs.edited]
    assert edited["version"] == 2
    assert edited["changed_fields"] == ["title", "body", "modified_at"]
    # The bad pages run 1 quarantined are pending: retried first, quarantined again.
    assert {q["url"] for q in second.quarantined} == set(runs.truth.bad)


def test_the_same_wire_story_at_a_new_url_is_a_duplicate_of_the_stored_one(runs: Runs) -> None:
    copy = next(r for r in runs.second.records if r["url"] == runs.copy)
    assert copy["version"] == 1
    assert copy["duplicate_of"] == story_id(url_of(f"/aseanplus/aseanplus-news/2025/05/23/{WIRE}"))


def test_the_second_run_fetches_no_known_story_outside_the_revisit_window(runs: Runs) -> None:
    second, revisited = runs.second, in_window(runs.first.records)
    assert len(revisited) == 10 and runs.edited in revisited
    assert second.stat("newscrawl/revisit") == len(revisited)
    # The two new stories, the window, and the bad pages pending since run 1.
    assert story_requests(second) == 2 + len(revisited) + len(runs.truth.bad)
    fetched = story_paths(runs.fetched[0])
    assert fetched == {urlsplit(u).path
                       for u in {runs.new, runs.copy} | revisited | set(runs.truth.bad)}
    assert second.stat("newscrawl/version/unchanged") == len(revisited) - 1
    assert second.stat("newscrawl/links/known") > 0
    # Page 1 held the new stories, page 2 only known ones, past the catch-up story.
    assert second.stat("newscrawl/listing_pages") == 2
    assert second.stat("newscrawl/listing_stop") == "only known stories"


def test_an_unchanged_run_emits_nothing_and_reads_one_listing_page(runs: Runs) -> None:
    third = runs.third
    revisited = in_window(runs.first.records) | {runs.new, runs.copy}
    assert third.records == [] and third.quarantined == []
    assert third.stat("newscrawl/listing_pages") == 1
    assert third.stat("newscrawl/revisit") == len(revisited)
    assert story_requests(third) == len(revisited)
    assert story_paths(runs.fetched[1]) == {urlsplit(u).path for u in revisited}
    assert third.stat("newscrawl/version/unchanged") == len(revisited)
    # A quiet run is healthy: every listed story known is no broken listing.
    assert runs.third_report is not None and runs.third_report.passed, runs.third_report
