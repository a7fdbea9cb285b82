"""The other article template end to end: every story of it crawled into its exact record, long
stories whole, galleries skipped and counted; a long story whose continuation fails is never
published cut, and is published whole once the continuation answers again."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from crawling import CrawlResult, SiteTruth, run_crawl

from newscrawl.replica import FaultPlan, ReplicaServer, load_site
from newscrawl.replica.article_render_v2 import readmore_path
from newscrawl.replica.content import DEFAULT_DATA_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pages.truth import wrong_fields

pytestmark = pytest.mark.e2e

# The retries of a failing request: the project's RETRY_TIMES, plus the first attempt.
ATTEMPTS = 4


def test_every_story_div_story_is_crawled_into_its_exact_record(
        never_crawl: CrawlResult, replica: ReplicaServer, truth: SiteTruth) -> None:
    assert never_crawl.returncode == 0, never_crawl.stderr[-2000:]
    records = {r["url"]: r for r in never_crawl.records}
    new_cases = [a for a in replica.site.articles if a.template == "story-div"
                 and a.url in truth.listed]
    assert {bool(a.video) for a in new_cases} == {True, False}
    assert any(a.is_long for a in new_cases) and any(a.premium for a in new_cases)
    for article in new_cases:
        assert article.url in records, article.url
        assert wrong_fields(records[article.url], article, "as-served") == [], article.url
    long_stories = [a for a in new_cases if a.is_long]
    assert never_crawl.stat("newscrawl/continuation/joined") == len(long_stories)
    assert never_crawl.stat("newscrawl/bad_page/body-incomplete") == 0


def test_galleries_are_skipped_and_counted_never_quarantined(
        never_crawl: CrawlResult, truth: SiteTruth) -> None:
    assert truth.galleries, "the replica data holds no gallery"
    assert never_crawl.stat("newscrawl/skipped/gallery") == len(truth.galleries)
    assert not truth.galleries & set(never_crawl.urls)
    assert not truth.galleries & {q["url"] for q in never_crawl.quarantined}


def small_site(tmp_path: Path) -> Path:
    """Fewer stories than a listing page holds: a second run finds the quarantined ones on
    the first page, whatever the first run stored."""
    site = load_site()
    long_stories = [a for a in site.articles if a.is_long and a.in_section]  # Aseanplus' only
    others = [a for a in site.in_section() if not a.is_long and a.fault is None][:4]
    data = tmp_path / "site"
    (data / "articles").mkdir(parents=True)
    for article in (*long_stories, *others):
        source = DEFAULT_DATA_DIR / "articles" / f"{article.slug}.md"
        shutil.copy(source, data / "articles" / source.name)
    return data


def test_a_long_story_is_quarantined_while_its_continuation_fails_then_published_whole(
        replica_factory: Callable[..., ReplicaServer], tmp_path: Path) -> None:
    data = small_site(tmp_path)
    failing = replica_factory(data, faults=FaultPlan(rates={"error": 1.0}, scope="readmore"))
    long_stories = [a for a in failing.site.articles if a.is_long and a.in_section]
    assert len(long_stories) >= 2
    first = run_crawl(tmp_path / "crawl", {"base_url": failing.origin, "render": "never"},
                      run_id="first", user_feed=False)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.records, "the crawl produced no story"
    published = {r["url"] for r in first.records}
    assert published == {a.url for a in failing.site.in_section() if not a.is_long}
    quarantined = {q["url"]: q["reasons"] for q in first.quarantined}
    assert quarantined == {a.url: ["body-incomplete"] for a in long_stories}
    requests = failing.requests()
    assert [requests.get(readmore_path(a)) for a in long_stories] == [ATTEMPTS] * len(
        long_stories)
    assert first.stat("newscrawl/bad_page/body-incomplete") == len(long_stories)

    healthy = replica_factory(data)
    second = run_crawl(tmp_path / "crawl", {"base_url": healthy.origin, "render": "never"},
                       run_id="second", user_feed=False)
    assert second.returncode == 0, second.stderr[-2000:]
    records = {r["url"]: r for r in second.records}
    assert set(records) == {a.url for a in long_stories}
    for article in long_stories:
        assert wrong_fields(records[article.url], article, "as-served") == []
        assert records[article.url]["word_count"] == len(" ".join(article.paragraphs).split())
    assert second.quarantined == []
