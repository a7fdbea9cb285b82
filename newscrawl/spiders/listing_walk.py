"""Each section's walk down its listing: which page it asks for next, and why it stops.

A walk ends when its listing does (no next page), when a page brings nothing new, when it meets
only known stories past the section's stop point (these three complete the walk: the state
moves the section's stop point), or when a cap (``max_pages``, ``max_articles``) cuts it short
(the point stays where it was, so the next run walks back at least that far).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from scrapy import Request
from scrapy.http import Response, TextResponse

from newscrawl.pages import ListingData, ListingPage, PageError
from newscrawl.sections import Section, section_of_listing
from newscrawl.spiders import stats as spider_stats
from newscrawl.urls import canonical_listing_url, canonical_url, rebase, site_path, unbase

if TYPE_CHECKING:
    from newscrawl.spiders.thestar import TheStarSpider

logger = logging.getLogger(__name__)

# Hrefs that are no URL at all (``http://[oops/``), skipped: the frontier's "bad-url" admission.
BAD_URL_LINKS: Final = "newscrawl/links/bad-url"
# Pages of only known stories walked past because the section's stop point is not reached yet.
CATCH_UP_PAGES: Final = "newscrawl/listing/catch_up_pages"
# A listing page before new story pages (a story's continuation, whose page waits in memory,
# goes first: ``continuation``). In the newest-first frontier a listing page was already first
# when one section was walked; with several, each listing page waited behind the story pages
# the other walks found after it (a walk stalled 42 s at 1 s of latency, 4 sections), so the
# walks, not the workers, set the rate.
LISTING_PRIORITY: Final = 4


class ListingWalks:
    """The listing walks of one crawl, one per section. Requests name the spider's own
    callbacks: a request queued in Redis can only name methods of the spider."""

    def __init__(self, spider: TheStarSpider) -> None:
        self._spider = spider
        self._pages: dict[Section, int] = dict.fromkeys(spider.sections, 0)

    def request(self, section: Section, url: str) -> Request:
        """The request for a page of ``section``'s listing (``url`` canonical)."""
        spider = self._spider
        self._pages[section] += 1
        return Request(rebase(url, spider.args.base_url), callback=spider.parse_listing,
                       errback=spider.listing_failed, meta=spider.page_meta(),
                       priority=LISTING_PRIORITY)

    def read(self, response: Response) -> tuple[Section, str, ListingData] | None:
        """The section, canonical URL and content of a listing page; None when it is not one
        this crawl walks or cannot be read (counted as a failed listing page)."""
        spider = self._spider
        url = canonical_listing_url(unbase(response.url, spider.args.base_url))
        # The section of the page asked for: a redirect does not move a walk to another one.
        hops = response.meta.get("redirect_urls")
        asked = canonical_url(unbase(hops[0], spider.args.base_url)) if hops else url
        section = section_of_listing(site_path(asked) or "", spider.sections)
        try:
            if section is None:
                raise PageError("not-a-listing")
            if not isinstance(response, TextResponse):
                raise PageError("not-html")
            page = ListingPage(url, response.text)
            data = page.to_data()
        except PageError as error:
            spider.failures.count("listing", error.reason, url)
            return None
        stats = spider.crawler.stats
        stats.inc_value(spider_stats.LISTING_PAGES)
        spider.note_base(page, url)
        if page.bad_hrefs:  # skipped by the page; counted like the ones the frontier meets
            stats.inc_value(BAD_URL_LINKS, page.bad_hrefs)
        return section, url, data

    def next_page(self, section: Section, url: str, next_page: str | None, *, fresh: int,
                  all_known: bool) -> Request | None:
        """The request for the listing's next page, or None when the walk ends at ``url``."""
        stop = self._stop(section, next_page, fresh, all_known)
        if stop:
            logger.info("listing ends at %s: %s", url, stop)
            self._note_stop(section, stop)
            return None
        return self.request(section, canonical_listing_url(next_page)) if next_page else None

    def _stop(self, section: Section, next_page: str | None, fresh: int,
              all_known: bool) -> str | None:
        """Why the section's walk ends here, if it does; the first three reasons mean it is
        complete."""
        spider = self._spider
        if next_page is None:
            return self._walked(section, "no next page")
        if fresh == 0:
            return self._walked(section, "no new story on this page")
        if all_known:
            if spider.known.is_caught_up(section):
                return self._walked(section, "only known stories")
            spider.crawler.stats.inc_value(CATCH_UP_PAGES)
        max_pages = spider.args.max_pages
        if max_pages is not None and self._pages[section] >= max_pages:
            return f"max_pages={max_pages}"
        if spider.frontier.full:
            return f"max_articles={spider.args.max_articles}"
        return None

    def _walked(self, section: Section, reason: str) -> str:
        self._spider.state.walked(section.key)
        return reason

    def _note_stop(self, section: Section, stop: str) -> None:
        stats = self._spider.crawler.stats
        if len(self._spider.sections) == 1:  # the stat a single-section crawl always had
            stats.set_value("newscrawl/listing_stop", stop)
        stats.set_value(f"newscrawl/listing_stop/{section.key}", stop)
