"""R3: a crawl of 70+ generated malformed story pages: 0 crashes, each page published sane or
quarantined with a reason or dropped with a counted reason; none lost without a count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from corpus_server import SECTION_PATH, CorpusServer, Route, listing_html
from crawling import CrawlResult, run_crawl
from malformed_corpus import CorpusPage, malformed_corpus

from newscrawl.pages.titles import strip_site_suffix
from newscrawl.pipelines.validate import StoryValidator

pytestmark = pytest.mark.e2e
SITE = "https://www.thestar.com.my"
MIN_PAGES = 70
CRASH_LINES = ("Error processing", "Error caught on signal handler", "Spider error processing",
               "Unhandled error in Deferred")


@pytest.fixture(scope="module")
def corpus_crawl(tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[list[CorpusPage], CrawlResult, CorpusServer]]:
    with CorpusServer() as site, CorpusServer() as trap:
        pages = malformed_corpus(site.origin, trap.origin)
        site.routes[SECTION_PATH] = Route(body=listing_html([p.path for p in pages]))
        for corpus_page in pages:
            site.routes[corpus_page.path] = corpus_page.route
            site.routes.update(corpus_page.extra)
        workdir = tmp_path_factory.mktemp("r3")
        result = run_crawl(workdir, {"base_url": site.origin, "render": "never"},
                           settings=["NEWSCRAWL_RETRY_AFTER_MAX=1"])
        yield pages, result, trap


def outcome(corpus_page: CorpusPage, result: CrawlResult) -> str:
    url = SITE + corpus_page.record_path
    if url in result.urls:
        return "published"
    if url in {q["url"] for q in result.quarantined}:
        return "quarantined"
    return "dropped"


def test_the_corpus_is_big_enough(corpus_crawl: tuple[list[CorpusPage], CrawlResult,
                                                      CorpusServer],
                                  record_figure: Callable[[str, object], None]) -> None:
    pages, result, _ = corpus_crawl
    assert len(pages) >= MIN_PAGES
    assert result.stat("newscrawl/discovered/listing") == len(pages)
    record_figure("R3 malformed pages", len(pages))


def test_no_crash(corpus_crawl: tuple[list[CorpusPage], CrawlResult, CorpusServer],
                  record_figure: Callable[[str, object], None]) -> None:
    _, result, _ = corpus_crawl
    # A callback's exception, a parser bug the spider caught, or what Scrapy logs when a
    # pipeline or an extension raised (spidermon prints its failed checks as tracebacks too,
    # so tracebacks themselves are not counted).
    crashes = (sum(result.stats_under("spider_exceptions/").values())
               + result.stat("newscrawl/bad_page/parser-error")
               + result.stat("log_count/CRITICAL")
               + sum(result.stderr.count(words) for words in CRASH_LINES))
    record_figure("R3 crashes", crashes)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stat("finish_reason") == "finished"
    assert crashes == 0, result.stderr[-3000:]


def test_every_page_is_published_quarantined_or_counted(
        corpus_crawl: tuple[list[CorpusPage], CrawlResult, CorpusServer],
        record_figure: Callable[[str, object], None]) -> None:
    pages, result, _ = corpus_crawl
    dropped = result.stats_under("newscrawl/dropped/")
    record_figure("R3 published", len(result.records))
    record_figure("R3 quarantined", len(result.quarantined))
    record_figure("R3 dropped (counted)", sum(dropped.values()))
    # Stories only a page's links lead to (through its <base href>) are published besides.
    linked = {SITE + p.links_to for p in pages if p.links_to}
    assert linked <= set(result.urls)
    assert len(result.records) - len(linked) + len(result.quarantined) + sum(
        dropped.values()) == len(pages), dropped
    wrong = {}
    for corpus_page in pages:
        got = outcome(corpus_page, result)
        if corpus_page.expect == "either" and got != "dropped":
            continue
        if got != corpus_page.expect:
            wrong[corpus_page.slug] = got
    assert not wrong, wrong


def test_every_quarantined_page_says_why(
        corpus_crawl: tuple[list[CorpusPage], CrawlResult, CorpusServer]) -> None:
    _, result, _ = corpus_crawl
    assert result.quarantined
    assert all(q["reasons"] and all(q["reasons"]) for q in result.quarantined)
    slugs = Counter(r.split(":")[0] for q in result.quarantined for r in q["reasons"])
    for expected in ("truncated", "not-html", "empty", "too-large", "date-in-future",
                     "no-headline"):
        assert slugs[expected], slugs


def test_published_pages_are_sane(
        corpus_crawl: tuple[list[CorpusPage], CrawlResult, CorpusServer]) -> None:
    pages, result, _ = corpus_crawl
    validator = StoryValidator()
    by_url = {r["url"]: r for r in result.records}
    for record in result.records:
        assert strip_site_suffix(record["title"]), record["url"]
        assert "\ufffd" not in record["title"] + record["body"], record["url"]
        assert validator.problems(record) == [], record["url"]
    for corpus_page in pages:
        if corpus_page.must_contain:
            record = by_url.get(SITE + corpus_page.path)
            assert record is not None, corpus_page.slug
            assert corpus_page.must_contain in record["body"], (corpus_page.slug, record["body"])


def test_no_request_reached_another_origin(
        corpus_crawl: tuple[list[CorpusPage], CrawlResult, CorpusServer]) -> None:
    _, result, trap = corpus_crawl
    assert trap.requests == []
    blocked = result.stats_under("newscrawl/blocked/")
    assert blocked.get("meta-refresh", 0) >= 2
    assert blocked.get("redirect", 0) >= 1
    assert result.stat("offsite/filtered") == 0
    # Pages whose <base href> leads off the site are counted; their links went nowhere.
    assert result.stat("newscrawl/pages/foreign_base") == 2
