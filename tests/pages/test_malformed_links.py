"""An href that is no URL (``http://[oops/``: "Invalid IPv6 URL") is skipped and counted as
``newscrawl/links/bad-url``, never fatal: not for the frontier, not for the spider's story."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newscrawl.items import StoryItem
from newscrawl.records import related_urls
from newscrawl.spiders.aseanplus import AseanplusSpider
from newscrawl.spiders.failures import FailureSorter
from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.urls import SECTION_URL

from .snippets import URL, article_html

BAD = "http://[oops/"
GOOD = f"{SECTION_URL}/2025/05/22/first"


def test_frontier_admits_a_bad_href_as_bad_url() -> None:
    frontier = StoryFrontier(since=None, max_articles=None, wants=lambda url: True)
    assert frontier.admit(BAD) == (BAD, "bad-url")
    assert frontier.admit("//[oops/x") == ("//[oops/x", "bad-url")
    assert frontier.admit(GOOD) == (GOOD, "new")
    assert frontier.admitted == 1
    assert StoryFrontier.section_links([BAD, GOOD, "https://[::1"]) == [GOOD]


def test_related_urls_skip_a_bad_href() -> None:
    assert related_urls([BAD, "/aseanplus/aseanplus-news/2025/05/22/first", "//[x/"],
                        base=URL) == [GOOD]


def test_a_bad_next_in_href_costs_neither_the_story_nor_the_crawl() -> None:
    next_in = (f'<section class="side-stories"><h3>Next In Aseanplus News</h3><ul>'
               f'<li><a href="{BAD}">Bad</a></li><li><a href="{GOOD}">First</a></li></ul>'
               "</section>")
    crawler = get_crawler(AseanplusSpider)
    spider = AseanplusSpider()
    spider.crawler = crawler
    spider.failures = FailureSorter(crawler.stats, None)
    response = HtmlResponse(URL, body=article_html(next_in=next_in).encode(), encoding="utf-8",
                            request=Request(URL))
    out = list(spider.parse_article(response, via="listing", referrer=SECTION_URL))
    stories = [o for o in out if isinstance(o, StoryItem)]
    assert len(stories) == 1
    assert stories[0].related["next_in"] == [GOOD]
    assert [r.url for r in out if isinstance(r, Request)] == [GOOD]
