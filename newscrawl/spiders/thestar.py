"""The ``thestar`` spider: discovery and fetching for one or more sections of The Star
(``-a section=news/nation``, or several: ``-a section=aseanplus/aseanplus-news,news/nation``).

Each section gets its own listing walk (``ListingWalks``) and stop-when-seen point; a story
belongs to the section whose URL it has, else to the one whose listing or feed showed it
(``StoryFrontier.owner``).

Glue only: page classes read the pages, ``build_story`` makes the record, ``newscrawl.urls``
says what a URL means. Every URL is canonical inside the crawl and re-based onto
``base_url`` (a replica) only when it becomes a request.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, NamedTuple
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newscrawl import rendering
from newscrawl.config import ConfigError
from newscrawl.distributed.config import redis_url
from newscrawl.items import DiscoveredVia, QuarantineItem, StoryItem
from newscrawl.origins import OriginPolicy
from newscrawl.others.learner import Purpose
from newscrawl.pages import (
    ArticleData,
    ArticlePage,
    ListingPage,
    NotAStoryError,
    PageError,
    RssFeedPage,
)
from newscrawl.pages.charset import decode_html
from newscrawl.reading.story_read import ReadValues, StoryPage, StoryRead
from newscrawl.records import build_story
from newscrawl.sections import Section, section_of_path
from newscrawl.spiders import stats as spider_stats
from newscrawl.spiders.arguments import (
    EXIT_BAD_ARGUMENT,
    KNOWN,
    ArgumentError,
    SpiderArguments,
)
from newscrawl.spiders.continuation import ContinuationReader, CutStory
from newscrawl.spiders.dropped import count_dropped
from newscrawl.spiders.failures import FailureSorter, one_line
from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.spiders.known_stories import KnownStories
from newscrawl.spiders.list_fetch import ListFetch
from newscrawl.spiders.listing_walk import ListingWalks
from newscrawl.spiders.others_list import OthersLists
from newscrawl.spiders.pending import retry_via
from newscrawl.spiders.read_pool import StoryReadPool
from newscrawl.spiders.run_settings import fit_run_settings
from newscrawl.state.crawl import CrawlState, crawl_state_for, utc_now
from newscrawl.state.pending import PendingStories
from newscrawl.urls import (
    CANONICAL_HOST,
    canonical_url,
    feed_url,
    listing_url,
    rebase,
    site_path,
    unbase,
)

logger = logging.getLogger(__name__)

# Pages whose <base href> sends their relative links off the site: those links resolve there
# (as in a browser) and the frontier drops them as off-section; no request goes there.
FOREIGN_BASE_PAGES: Final = "newscrawl/pages/foreign_base"

# Consecutive render failures after which the browser is given up for this run.
MAX_RENDER_FAILURES_IN_A_ROW: Final = 5
PARSER_ERROR: Final = "parser-error"


@dataclass(frozen=True, slots=True)
class PendingStory:
    """A story read from its plain page, waiting for its "Others Also Read" list."""

    data: ArticleData
    url: str
    via: DiscoveredVia
    referrer: str | None
    crawled_at: datetime
    raw_html: str | None
    section: str  # the label of the section the story belongs to: the record's ``section``


class FetchedStory(NamedTuple):
    """A story page as fetched, before it is read: its text decoded once, in the crawl."""

    url: str  # canonical
    crawled_at: datetime
    content_type: str | None
    raw_html: str | None  # None: not a text response (the page classes say what it is)

    def body(self, response: Response) -> str | bytes:
        return response.body if self.raw_html is None else self.raw_html


class TheStarSpider(Spider):
    name = "thestar"
    # The ``-a`` names this spider takes (``section`` among them).
    ARGUMENTS: tuple[str, ...] = KNOWN
    failures: FailureSorter
    state: CrawlState

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Spider.__init__ would copy raw strings onto attributes; the typed values live here.
        self.args = SpiderArguments.parse(kwargs, known=self.ARGUMENTS)
        self.sections: tuple[Section, ...] = self.args.sections
        super().__init__(*args)
        host = urlsplit(self.args.base_url).hostname if self.args.base_url else None
        # With a replica, only the replica is fetched: a redirect to the live site is off-site.
        self.allowed_domains = [host] if host else [CANONICAL_HOST.removeprefix("www.")]
        self.frontier = StoryFrontier(since=self.args.since, max_articles=self.args.max_articles,
                                      wants=self._wants, sections=self.sections)
        self.known = KnownStories()  # replaced by the store's stories when the crawl starts
        self.pending = PendingStories.detached()  # replaced by the store's when it starts
        self.run_id = ""
        self.rendering = False
        self.walks = ListingWalks(self)
        self._render_failures = 0
        # Bound once: Scrapy caches a check of each callback's source by weak reference, so a
        # bound method made anew for every request has its source parsed again and again.
        self._on_article = self.parse_story
        self._on_continuation = self.parse_story_rest
        self.others = OthersLists(self)
        # Where requests may go; the origin guard asks it, "Others Also Read" registers the
        # list services its learned rules fetch from.
        self.origins = OriginPolicy(self.args.base_url)
        # Story pages read in other processes (NEWSCRAWL_READ_PROCESSES > 0), from _open_run.
        self.read_pool: StoryReadPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TheStarSpider:
        try:
            spider = super().from_crawler(crawler, *args, **kwargs)
            setup = fit_run_settings(crawler.settings, spider.args)
        except (ArgumentError, ConfigError) as error:
            # One line, then out: a traceback would bury the one thing the user must fix.
            print(f"newscrawl: {error}", file=sys.stderr)
            raise SystemExit(EXIT_BAD_ARGUMENT) from None
        assert isinstance(spider, cls)
        spider.run_id, spider.rendering = setup.run_id, setup.renders
        return spider

    def _wants(self, canonical_url: str) -> bool:
        """Not a known story older than the revisit window, nor a pending one waiting out its
        backoff or given up (``_follow`` counts links/known)."""
        return (self.pending.wants(canonical_url)
                and self.known.wants(canonical_url, self.crawler.stats))

    # --- requests ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        self._open_run()
        now = utc_now()
        for entry in self.pending.due():  # what earlier runs could not publish comes first
            for request in self._follow(entry.url, retry_via(entry.via), entry.referrer, now):
                yield request
        for section in self.sections:  # each walk pages on by itself, from its own page 1
            yield self.walks.request(section, listing_url(section))
        for section in self.sections:
            feed = feed_url(section)
            if feed is not None:
                yield Request(rebase(feed, self.args.base_url), callback=self.parse_feed,
                              errback=self.feed_failed)

    def _open_run(self) -> None:
        # Here, not in __init__: the crawler's stats exist only once its settings are applied,
        # and StateCommitExtension has recovered what a killed run published before now.
        if hasattr(self, "state"):
            return
        self.continuation = ContinuationReader(self.crawler.stats)
        self.state = crawl_state_for(self.crawler)
        self.state.begin_walks([section.key for section in self.sections])
        self.known = KnownStories.for_run(self.state, self.crawler.stats, self.sections)
        if redis_url(self.settings):
            # A worker of a shared crawl: another worker may fetch what this one found. (Imported
            # here: a single-process crawl needs no Redis client.)
            from newscrawl.distributed.pending import open_shared_pending
            from newscrawl.distributed.runtime import runtime_for

            self.pending = open_shared_pending(self.state, self.known.published,
                                               self.crawler.stats,
                                               runtime_for(self.crawler).config.crawl_id)
        else:
            self.pending = self.state.open_pending(self.known.published, self.crawler.stats)
        self.failures = FailureSorter(self.crawler.stats, self.args.base_url,
                                      on_story_failure=self.pending.failed)
        config = self.state.config
        # render=never reads no list (README): not even by a rule stored by an earlier run.
        learn = config.others_learn and self.args.render != "never"
        self.others.start(self.state.store.list_rules(), learn=learn,
                          sample_every=config.others_sample_every,
                          confirm_pages=config.others_confirm_pages,
                          first_run=self.state.store.last_successful_run() is None)
        self.crawler.signals.connect(self._idle, signal=signals.spider_idle)
        if config.read_processes > 0:
            self.read_pool = StoryReadPool(config.read_processes, self.crawler.stats)
            self.crawler.signals.connect(self.read_pool.close, signal=signals.spider_closed)

    def page_meta(self, *, story: bool = False) -> dict[str, Any]:
        """Plain fetch, unless render=always sends every HTML page through the browser."""
        if self.rendering and self.args.render == "always":
            return rendering.render_meta(read_list=story, session=self.others.session)
        return {}

    def _follow_all(self, hrefs: Iterable[str], via: DiscoveredVia,
                    referrer: str) -> Iterator[Request]:
        """The links of one page (``referrer``), all first seen when the page was read."""
        now = utc_now()
        for href in hrefs:
            yield from self._follow(href, via, referrer, now)

    def _follow(self, href: str, via: DiscoveredVia, referrer: str,
                now: str) -> Iterator[Request]:
        """``now``: when the page holding the link was read, shared by all its links (a pending
        story's ``first_seen``: one string a page instead of ~90 bytes a story)."""
        url, admission = self.frontier.admit(href, referrer)
        stats = self.crawler.stats
        if admission == "off-section":
            stats.inc_value("newscrawl/offsection_links")
            return
        if admission != "new":
            stats.inc_value(f"newscrawl/links/{admission}")
            if admission == "known":  # the listing monitor tells a quiet run from a broken one
                stats.inc_value(spider_stats.known(via))
            return
        stats.inc_value(spider_stats.discovered(via))
        self.pending.admitted(url, via, referrer, now)
        request = Request(rebase(url, self.args.base_url), callback=self._on_article,
                          errback=self.story_failed, meta=self.page_meta(story=True),
                          cb_kwargs={"via": via, "referrer": referrer})
        if self.others.defers():  # while the list's rule is being learned
            self.others.defer(request)
            return
        yield request

    # --- errbacks ---------------------------------------------------------------------------
    # Methods of the spider, as callbacks are: a request queued in Redis (scrapy-redis) is
    # stored with ``Request.to_dict(spider)``, which can only name the spider's own methods.

    def story_failed(self, failure: Failure) -> Iterator[Request | QuarantineItem]:
        yield from self.failures.story_failed(failure)

    def listing_failed(self, failure: Failure) -> None:
        self.failures.page_failed(failure)

    def feed_failed(self, failure: Failure) -> None:
        self.failures.feed_failed(failure)

    # --- callbacks --------------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Request]:
        read = self.walks.read(response)
        if read is None:
            return
        section, url, data = read
        stories = self.frontier.section_links(data.story_links)
        if not stories:  # every listing page shows stories: this one was not read
            self.failures.count("listing", "no-stories", url)
            return
        self.crawler.stats.inc_value(spider_stats.LISTING_LINKS, len(stories))
        fresh = self.frontier.note_listing(section, stories)
        all_known = self.known.note_listing(stories, section)
        yield from self._follow_all(data.story_links, "listing", url)
        next_page = self.walks.next_page(section, url, data.next_page, fresh=fresh,
                                         all_known=all_known)
        if next_page is not None:
            yield next_page

    def note_base(self, page: ListingPage | StoryPage, url: str) -> None:
        if page.has_foreign_base():
            self.crawler.stats.inc_value(FOREIGN_BASE_PAGES)
            logger.warning("<base href> %r leads off the site; links it resolves are not "
                           "followed: %s", page.base_url, url)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        url = canonical_url(unbase(response.url, self.args.base_url))
        try:
            entries = RssFeedPage(url, response.body).to_data().entries
        except PageError as error:
            self.failures.count("feed", error.reason, url)
            return
        self.crawler.stats.inc_value("newscrawl/rss/entries", len(entries))
        yield from self._follow_all((entry.url for entry in entries), "rss", url)

    def parse(self, response: Response,
              **kwargs: Any) -> Iterator[Request | StoryItem | QuarantineItem]:
        """The default callback, which ``scrapy parse --spider=aseanplus URL`` calls (it
        replaces ``start``): the URL read as a story page given by hand (``discovered_via``
        "start", no referrer). The record comes out at once, from the page as served, so its
        "Others Also Read" list is empty (``newscrawl parse --render URL`` shows the list)."""
        self._open_run()
        for output in self.parse_article(response, "start", None):
            story = (output.story if isinstance(output, ListFetch)
                     else output.cb_kwargs.get("story") if isinstance(output, Request) else None)
            if isinstance(story, PendingStory):  # its list's request: not waited for here
                yield from self._with_list(story, story.data.others_also_read)
            else:
                yield output

    # The callbacks of story pages, their continuations and renders: the glue's output with its
    # list fetches awaited (see list_fetch). The sync readers below them stay plain generators.

    async def parse_story(self, response: Response, via: DiscoveredVia,
                          referrer: str | None) -> AsyncIterator[Any]:
        pool = self.read_pool
        if pool is None or not pool.running:
            outputs = self.parse_article(response, via, referrer)
        else:
            fetched = self._fetched(response)
            if fetched is None:
                return
            wanted = None if response.meta.get("playwright") else self.others.values_wanted()
            read = await pool.read(fetched.url, response.url, fetched.body(response),
                                   fetched.content_type, wanted)
            outputs = self._read_article(fetched, response, via, referrer, read)
        async for output in self.others.fetcher.resolve(outputs):
            yield output

    async def parse_story_rest(self, response: Response, story: CutStory) -> AsyncIterator[Any]:
        async for output in self.others.fetcher.resolve(self.parse_continuation(response, story)):
            yield output

    async def parse_rendered(self, response: Response, story: PendingStory,
                             purpose: Purpose = "fallback") -> AsyncIterator[Any]:
        outputs = self.read_rendered(response, story, purpose)
        async for output in self.others.fetcher.resolve(outputs):
            yield output

    async def render_failed(self, failure: Failure) -> AsyncIterator[Any]:
        async for output in self.others.fetcher.resolve(self._render_failed(failure)):
            yield output

    def parse_article(self, response: Response, via: DiscoveredVia,
                      referrer: str | None) -> Iterator[Request | StoryItem | QuarantineItem]:
        fetched = self._fetched(response)
        if fetched is not None:
            yield from self._read_article(fetched, response, via, referrer)

    def _fetched(self, response: Response) -> FetchedStory | None:
        """The story page's text, once the redirect it may have taken is settled."""
        crawled_at = datetime.now(UTC)
        url = canonical_url(unbase(response.url, self.args.base_url))
        if not self._settled(url, response):
            return None
        header = response.headers.get("Content-Type")
        content_type = header.decode("latin-1") if header else None
        # Decoded once: the record keeps the text, and the page classes need not decode again.
        # Not response.text: it turns Latin-1 bytes labelled UTF-8 into replacement characters.
        decoded = decode_html(response.body, content_type) \
            if isinstance(response, TextResponse) else None
        if decoded is not None and decoded.mislabelled:
            self.crawler.stats.inc_value("newscrawl/charset/mislabelled")
        return FetchedStory(url, crawled_at, content_type,
                            decoded.text if decoded is not None else None)

    def _read_article(self, fetched: FetchedStory, response: Response, via: DiscoveredVia,
                      referrer: str | None, read: StoryRead | None = None,
                      ) -> Iterator[Request | StoryItem | QuarantineItem]:
        """The glue around a story page's reading: by the page classes here, or ``read`` in
        a reading process (the same answers, the same path)."""
        url, crawled_at, content_type, raw_html = fetched
        try:
            page: StoryPage = read.page() if read is not None else ArticlePage.for_page(
                url, fetched.body(response), content_type)
            self.note_base(page, url)
            label = page.section_label()
            owner = self.frontier.owner(url, referrer)
            if owner is None or not _labelled(owner, url, label):
                self.crawler.stats.inc_value("newscrawl/out_of_section/label")
                count_dropped(self.crawler.stats, "not-in-section")
                logger.warning("not a story of %s (label %r): %s",
                               ", ".join(s.label for s in self.sections), label, url)
                self.pending.settled(url, "out-of-section")
                return
            rest = page.continuation_url()
            data = page.to_data() if rest is None else None
        except NotAStoryError as skipped:  # a gallery: no story, and no bad page either
            self.crawler.stats.inc_value(f"newscrawl/skipped/{skipped.kind}")
            logger.info("skipped (%s): %s", skipped.kind, url)
            self.pending.settled(url, skipped.kind)  # not a story: nothing to retry
            return
        except PageError as error:
            yield self.failures.bad_page(url, error.reason, response, crawled_at)
            return
        except Exception:
            # A parser bug costs this page, counted and kept for review, not the whole crawl.
            logger.exception("the page classes failed on %s", url)
            yield self.failures.bad_page(url, PARSER_ERROR, response, crawled_at)
            return
        rendered = bool(response.meta.get("playwright"))
        if data is None:  # a long story: its page holds only the first part of the body
            assert rest is not None
            cut = CutStory(url, response.url, page.html, content_type, via, referrer,
                           crawled_at, rendered)
            yield self.continuation.request(cut, rebase(rest, self.args.base_url),
                                            self._on_continuation, self.continuation_failed)
            return
        yield from self._publish(data, url, response.url, via, referrer, crawled_at, raw_html,
                                 rendered=rendered, doc=page.doc,
                                 values=read.values if read is not None else None,
                                 list_outcome=rendering.list_wait_outcome(response.meta))

    def parse_continuation(self, response: Response,
                           story: CutStory) -> Iterator[Request | StoryItem | QuarantineItem]:
        joined = self.continuation.join(response, story, self)
        if isinstance(joined, ArticleData):
            yield from self._publish(joined, story.url, story.page_url, story.via,
                                     story.referrer, story.crawled_at, story.html,
                                     rendered=story.rendered)
        else:
            yield joined

    def continuation_failed(self, failure: Failure) -> Iterator[QuarantineItem]:
        yield self.continuation.failed(failure)

    def _publish(self, data: ArticleData, url: str, page_url: str, via: DiscoveredVia,
                 referrer: str | None, crawled_at: datetime, raw_html: str | None, *,
                 rendered: bool, doc: HtmlElement | None = None,
                 values: ReadValues | None = None,
                 list_outcome: str | None = None) -> Iterator[Request | StoryItem]:
        """The story read whole: its links followed, then its record, after the browser's
        reading of "Others Also Read" when the page was not rendered yet."""
        if self.frontier.is_older(data.published_at.date()):
            self.crawler.stats.inc_value("newscrawl/links/older")
            count_dropped(self.crawler.stats, "older-than-since")
            self.pending.settled(url, "older")
            return
        yield from self._follow_all(data.next_in, "next_in", url)
        owner = self.frontier.owner(url, referrer)
        section = owner.label if owner is not None else data.section or ""
        story = PendingStory(data, url, via, referrer, crawled_at, raw_html, section)
        if rendered:  # render=always: this is the rendered page
            self.others.note_outcome(
                "filled" if data.others_also_read else (list_outcome or "empty"))
            yield from self._with_list(story, data.others_also_read)
        elif self.rendering or self.others.works_without_browser:
            yield from self.others.for_story(story, page_url, doc, values)
        else:
            yield from self._with_list(story, data.others_also_read)

    def _settled(self, url: str, response: Response) -> bool:
        """Where a redirect landed: a new story of a crawled section is fine, anything else is
        not."""
        # response.request is the last hop, whose URL is the response's: the first hop is the
        # story that was asked for.
        hops = response.meta.get("redirect_urls")
        requested = canonical_url(unbase(hops[0], self.args.base_url)) if hops else url
        if url == requested:  # not redirected, or http -> https, a trailing slash
            self.frontier.claim(url)  # a redirect that lands here later is a repeat
            return True
        self.pending.settled(requested, "redirected")  # the story, if any, is the landing one
        # By its URL only: the listing that showed the link showed the story asked for, not
        # the one the site sent the crawl to.
        in_scope = self.frontier.owner(url) is not None
        if in_scope and self.frontier.claim(url):
            self.crawler.stats.inc_value("newscrawl/redirected/to_story")
            return True
        reason = "redirect-to-seen" if in_scope else "redirected-elsewhere"
        self.crawler.stats.inc_value("newscrawl/redirected/elsewhere")
        count_dropped(self.crawler.stats, reason)
        logger.warning("redirected from %s to %s: skipped (%s)", requested, url, reason)
        return False

    def read_rendered(self, response: Response, story: PendingStory,
                      purpose: Purpose = "fallback") -> Iterable[Any]:
        self._render_failures = 0
        stats = self.crawler.stats
        stats.inc_value("newscrawl/rendered")
        try:
            links = ArticlePage.for_page(story.url, response.body).others_also_read_links()
        except Exception as error:  # the story is known already; only the list is lost
            reason = error.reason if isinstance(error, PageError) else PARSER_ERROR
            stats.inc_value(f"newscrawl/render_failed/{reason}")
            logger.warning("rendered page unreadable (%s): %s", reason, story.url)
            links = ()
        stats.inc_value(f"newscrawl/render/list_{rendering.list_outcome(response.meta, links)}")
        yield from self.others.rendered(story, response, links, purpose)

    def release_held(self, response: Response, story: PendingStory) -> Iterator[Any]:
        """A held story sent out at idle without its list (the browser is gone)."""
        yield from self.others.released_at_idle(story)

    def _idle(self) -> None:
        for request in self.others.spider_idle():
            self.crawler.engine.crawl(request)

    def _render_failed(self, failure: Failure) -> Iterable[Any]:
        """The record goes out without the list; a browser that cannot start is given up."""
        stats = self.crawler.stats
        stats.inc_value("newscrawl/render_failed")
        self._render_failures += 1
        never_started = stats.get_value("playwright/browser_count") is None
        if self.rendering and (never_started
                               or self._render_failures >= MAX_RENDER_FAILURES_IN_A_ROW):
            self.rendering = False
            logger.warning('the browser %s (%s): crawling on without the "Others Also Read" '
                           "lists", "did not start" if never_started else "keeps failing",
                           one_line(failure.value))
        request = failure.request  # type: ignore[attr-defined]
        yield from self.others.render_failed(request.cb_kwargs["story"],
                                             request.cb_kwargs.get("purpose", "fallback"),
                                             browser_gone=not self.rendering)

    def _with_list(self, story: PendingStory,
                   others: tuple[str, ...]) -> Iterator[Request | StoryItem]:
        data = replace(story.data, others_also_read=tuple(others))
        yield from self._follow_all(data.others_also_read, "others_also_read", story.url)
        self.crawler.stats.inc_value(spider_stats.items(story.via))
        yield build_story(data, url=story.url, discovered_via=story.via,
                          referrer=story.referrer, crawled_at=story.crawled_at,
                          raw_html=story.raw_html, section=story.section)


def _labelled(owner: Section, url: str, label: str | None) -> bool:
    """Whether the page's kicker fits: it names the section the story belongs to, or the
    section of its URL (a story the site lists in two sections keeps its own kicker)."""
    if owner.has_label(label):
        return True
    path = site_path(url)
    own = section_of_path(path) if path is not None else None
    return own is not None and own.has_label(label)
