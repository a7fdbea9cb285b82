""""Others Also Read" from wherever the replica serves it, mostly without the browser.

Each crawl runs against a synthetic replica whose pages deliver the list one way (``api``,
``remote`` service on a second port keyed by the parse.ly guid, ``inline`` data): every story
reachable only through the list is found, every list equals the replica's data, and the browser
renders only the stories it learns from and checks on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawling import CrawlResult, SiteTruth, crawl_result, run_crawl, start_crawl

from newscrawl.browser import SYSTEM_FULL_BROWSERS, find_browser, is_headless_shell
from newscrawl.replica import ReplicaServer, synthetic_site
from newscrawl.replica.others_source import OthersSource
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.urls import canonical_url, is_site_article

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.skipif(
    find_browser() is None, reason="no Chromium for Playwright on this machine")]

ARTICLES = 120
# A check every 10 stories, so even a small crawl compares the rule with the browser.
SAMPLE = "NEWSCRAWL_OTHERS_SAMPLE_EVERY=10"


def serve(source: OthersSource, articles: int = ARTICLES, seed: int = 7) -> ReplicaServer:
    return ReplicaServer(synthetic_site(articles, seed), others_source=source).start()


@pytest.fixture
def replica_of() -> Iterator[list[ReplicaServer]]:
    servers: list[ReplicaServer] = []
    yield servers
    for server in servers:
        server.stop()


def expected_lists(truth: SiteTruth, url: str) -> list[str]:
    links = (canonical_url(href, url) for href in truth.others_also_read[url])
    return list(dict.fromkeys(link for link in links if is_site_article(link)))


def reachable(truth: SiteTruth) -> set[str]:
    """The section's stories a crawl can reach: listed ones, and those the lists of reached
    stories link to (a synthetic site also has unlisted stories no section story links to)."""
    found = set(truth.listed)
    frontier = list(found)
    while frontier:
        url = frontier.pop()
        for link in expected_lists(truth, url):
            if link in truth.in_scope and link not in found:
                found.add(link)
                frontier.append(link)
    return found


def assert_complete(result: CrawlResult, truth: SiteTruth) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.records, "the crawl produced no story"
    expected = reachable(truth)
    assert sorted(result.urls) == sorted(expected)
    only_by_list = expected & truth.unlisted
    assert only_by_list, "the replica holds no story reachable only by Others Also Read"
    found = {r["url"]: r for r in result.records}
    for url in only_by_list:
        assert found[url]["discovered_via"] == "others_also_read"
    wrong = [(r["url"], r["related"]["others_also_read"], expected_lists(truth, r["url"]))
             for r in result.records
             if r["related"]["others_also_read"] != expected_lists(truth, r["url"])]
    assert wrong == [], result.stats_under("newscrawl/")


def others(result: CrawlResult, name: str) -> int:
    return int(result.stat(f"newscrawl/others/{name}"))


@pytest.mark.parametrize("source", ["api", "remote", "inline"])
def test_each_source_gives_every_list_with_the_browser_on_few_stories(
        source: OthersSource, replica_of: list[ReplicaServer], tmp_path: Path) -> None:
    replica = serve(source)
    replica_of.append(replica)
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=[SAMPLE])
    assert_complete(result, SiteTruth.of(replica.site))
    assert others(result, "learned") == 1
    assert others(result, "check/agree") >= 1 and others(result, "disagree") == 0
    without_browser = others(result, "inline" if source == "inline" else "direct")
    assert without_browser > 0
    # Each list came by one of the two (a render that came back unfilled is tried again by
    # the rule, so a story may count in both).
    assert others(result, "rendered") + without_browser >= len(result.records)
    assert others(result, "rendered") < len(result.records) / 3
    assert others(result, "list/filled") == sum(
        1 for r in result.records if r["related"]["others_also_read"])
    if replica.service is not None:  # the browser reached the second origin, and so did we
        service = replica.service.origin.removeprefix("http://")
        assert result.stat(f"newscrawl/browser/host/{service}") > 0
        assert sum(replica.service.requests().values()) >= without_browser


def test_an_endpoint_that_moves_mid_run_is_detected_relearned_and_nothing_is_lost(
        replica_of: list[ReplicaServer], tmp_path: Path) -> None:
    replica = serve("api", articles=400)
    replica_of.append(replica)
    # Few requests at a time, so the crawl is still running when the endpoint moves.
    process = start_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                          settings=["CONCURRENT_REQUESTS=4", SAMPLE])
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        asked = sum(n for target, n in replica.requests().items()
                    if target.startswith("/api/others-also-read"))
        if asked >= 40:
            replica.others_revision = 1
            break
        time.sleep(0.05)
    assert replica.others_revision == 1, "the crawl ended before the endpoint could move"
    _, stderr = process.communicate(timeout=240)
    result = crawl_result(tmp_path, process.returncode, stderr)
    assert_complete(result, SiteTruth.of(replica.site))
    assert others(result, "learned") >= 2
    assert others(result, "dropped/direct_failed") + others(result, "dropped/disagree") >= 1
    assert any(t.startswith("/api/v2/related-stories") for t in replica.requests())


def test_the_next_run_starts_from_the_stored_rule_on_a_service_at_another_port(
        replica_of: list[ReplicaServer], tmp_path: Path) -> None:
    first = serve("remote", articles=60)
    replica_of.append(first)
    learned = run_crawl(tmp_path / "first", {"base_url": first.origin, "render": "auto"})
    assert learned.returncode == 0 and others(learned, "learned") == 1
    shown = subprocess.run([sys.executable, "-m", "newscrawl.cli", "state", "stats", "--state",
                            str(tmp_path / "first" / "state.sqlite")],
                           capture_output=True, text=True, check=True).stdout
    assert "others-also-read fetch" in shown and "parsely-metadata/guid" in shown
    # A new state holding only the rule: the next run's stories are all new to it.
    copy_rule(tmp_path / "first" / "state.sqlite", tmp_path / "second")
    second = serve("remote", articles=60)
    replica_of.append(second)
    assert second.service is not None and first.service is not None
    assert second.service.origin != first.service.origin
    result = run_crawl(tmp_path / "second", {"base_url": second.origin, "render": "auto"})
    assert_complete(result, SiteTruth.of(second.site))
    assert others(result, "stored_rule") == 1
    assert others(result, "render/learn") == 0 and others(result, "learned") == 0
    # Rendered: the first story (to check the stored rule), then one in 50.
    assert others(result, "rendered") == others(result, "check/agree") >= 1
    assert others(result, "rendered") <= 1 + len(result.records) // 50
    # The lists' requests (awaited in the stories' callbacks) went through the downloader and
    # its middlewares: the service's robots.txt was asked for, once, before its first list,
    # and every list is a downloaded request.
    assert second.service.requests().get("/robots.txt") == 1
    assert result.stat("downloader/request_count") >= (
        len(result.records) + others(result, "direct"))
    # Broken browser, same rule: the lists still come, by plain requests.
    copy_rule(tmp_path / "second" / "state.sqlite", tmp_path / "third")
    broken = run_crawl(tmp_path / "third", {"base_url": second.origin, "render": "auto"},
                       settings=["NEWSCRAWL_BROWSER_PATH=/bin/false"])
    assert_complete(broken, SiteTruth.of(second.site))
    assert others(broken, "rendered") == 0 and others(broken, "direct") >= 1
    assert "the browser did not start" in broken.stderr
    # render=never reads no list (README), even with a stored rule: no list request at all.
    copy_rule(tmp_path / "third" / "state.sqlite", tmp_path / "fourth")
    asked = sum(second.service.requests().values())
    plain = run_crawl(tmp_path / "fourth", {"base_url": second.origin, "render": "never"})
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert plain.records
    assert all(r["related"]["others_also_read"] == [] for r in plain.records)
    assert others(plain, "direct") == 0 and others(plain, "stored_rule") == 0
    assert sum(second.service.requests().values()) == asked


def copy_rule(state: Path, into: Path) -> None:
    """A new state in ``into`` that holds only the list rule of ``state``."""
    into.mkdir()
    source = SqliteStateStore(state)
    stored = source.list_rules().rule()
    source.close()
    assert stored is not None, "no rule stored"
    target = SqliteStateStore(into / "state.sqlite")
    target.list_rules().save_rule(stored)
    target.close()


def test_lists_that_never_fill_make_the_run_degraded(
        replica_of: list[ReplicaServer], tmp_path: Path) -> None:
    replica = serve("api", articles=12)
    replica_of.append(replica)
    # The browser may not reach the replica's host for anything but the page itself.
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=["NEWSCRAWL_BROWSER_DENY_HOSTS=127.0.0.1"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.records
    assert others(result, "list/filled") == 0
    assert result.stat("newscrawl/browser/blocked/denied-host") > 0
    report = (tmp_path / "data" / "monitors.json").read_text()
    assert '"others-also-read/empty"' in report
    manifests = list(tmp_path.rglob("*manifest*.json"))
    assert manifests and any("others-also-read/empty" in m.read_text() for m in manifests)


FULL_CHROMIUM = next((path for path in SYSTEM_FULL_BROWSERS if Path(path).is_file()), None)


@pytest.mark.skipif(FULL_CHROMIUM is None or not is_headless_shell(find_browser() or ""),
                    reason="needs both a headless shell (the default) and full Chromium")
def test_full_chromium_the_fallback_still_learns_every_list(
        replica_of: list[ReplicaServer], tmp_path: Path) -> None:
    """Every other crawl here renders with the headless shell that newscrawl.browser prefers;
    this one with full Chromium, which machines without the shell use."""
    replica = serve("remote", articles=60)
    replica_of.append(replica)
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=[SAMPLE, f"NEWSCRAWL_BROWSER_PATH={FULL_CHROMIUM}",
                                 "LOG_LEVEL=INFO"])
    assert_complete(result, SiteTruth.of(replica.site))
    assert f"rendering with {FULL_CHROMIUM} (full Chromium)" in result.stderr
    assert others(result, "learned") == 1 and others(result, "direct") > 0
    assert others(result, "disagree") == 0


def test_story_pages_read_in_a_reading_process_give_every_list(
        replica_of: list[ReplicaServer], tmp_path: Path) -> None:
    """With NEWSCRAWL_READ_PROCESSES=1 the page values a rule reads (the parse.ly guid, for the
    remote service) come back with each page read in the worker: the rule is learned, the lists
    come without the browser, and every list is the replica's."""
    replica = serve("remote")
    replica_of.append(replica)
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "auto"},
                       settings=[SAMPLE, "NEWSCRAWL_READ_PROCESSES=1"])
    assert_complete(result, SiteTruth.of(replica.site))
    assert others(result, "learned") == 1 and others(result, "direct") > 0
    assert result.stat("newscrawl/read_pool/read") >= len(result.records)
    assert result.stats_under("newscrawl/read_pool/fallback/") == {}
    # Only pages away while the rule was learned are read again here, for its values.
    assert result.stat("newscrawl/read_pool/values_read_here") < len(result.records)
