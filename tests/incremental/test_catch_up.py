"""Catch-up: after a run cut short, the next one pages back past known stories until it reaches
the newest story of the last successful run, and so finds what the short run skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawling import CrawlResult, SiteTruth, run_crawl
from site_edits import copy_site

from newscrawl.replica import ReplicaServer, SiteArticle, load_site

pytestmark = pytest.mark.e2e
HIDDEN = 24  # the newest listed stories, published only after run A


def stories(entries: list[SiteArticle]) -> set[str]:
    """The listing entries that are stories: a gallery is listed like one, and skipped."""
    return {entry.url for entry in entries if not entry.is_gallery}


def test_a_run_after_a_short_one_pages_back_to_the_last_successful_run(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    full = load_site(site)
    listed = sorted((a for a in full.articles if a.in_section and a.listed),
                    key=lambda a: (a.published, a.path), reverse=True)
    hidden = listed[:HIDDEN]
    for article in hidden:
        (site / "articles" / f"{article.slug}.md").rename(tmp_path / f"{article.slug}.md")
    before = load_site(site)
    for article in hidden:
        (tmp_path / f"{article.slug}.md").rename(site / "articles" / f"{article.slug}.md")

    def crawl(server: ReplicaServer, run_id: str, **arguments: str) -> CrawlResult:
        result = run_crawl(tmp_path / "work", {"base_url": server.origin, "render": "never",
                                               **arguments}, run_id=run_id, user_feed=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    with ReplicaServer(before) as server:
        a = crawl(server, "a")  # complete: the catch-up story is its newest, listed[HIDDEN]
    with ReplicaServer(full) as server:
        # Cut short after one listing page: it stores the 20 newest (page 1 and the RSS feed).
        b = crawl(server, "b", max_pages="1")
        c = crawl(server, "c")

    assert b.stat("newscrawl/listing_stop") == "max_pages=1"
    assert {r["url"] for r in b.records} == stories(listed[:20])
    # Pages 1 and 2 hold only stories run B stored, yet run C pages on to run A's newest story.
    # A gallery is never stored (it is no story), so a page that lists one is not "all known"
    # and is no catch-up page: it is walked past like a page with a new story.
    pages_all_stories = sum(not any(e.is_gallery for e in listed[n:n + 10]) for n in (0, 10))
    assert c.stat("newscrawl/listing/catch_up_pages") == pages_all_stories
    assert c.stat("newscrawl/listing_stop") == "only known stories"
    assert {r["url"] for r in c.records} == stories(listed[20:HIDDEN])
    union = [r["url"] for run in (a, b, c) for r in run.records]
    assert len(union) == len(set(union))
    assert set(union) == SiteTruth.of(full).listed
