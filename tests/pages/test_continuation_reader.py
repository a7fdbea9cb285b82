"""What the crawl makes of a long story's continuation: the whole story, a retry of an
unreadable answer, and once the retries are spent the story quarantined (never published cut).
No network: responses are built here; the end-to-end crawl is tests/e2e/test_crawl_templates."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from newscrawl.items import QuarantineItem
from newscrawl.pages import ArticleData
from newscrawl.spiders.continuation import ContinuationReader, CutStory

from .snippets import PARAGRAPHS, URL
from .test_story_div import LOAD_LINK, REST, story_div_page

READMORE = "http://127.0.0.1:1/api/readmore/get/654321/"


def setup() -> tuple[Spider, ContinuationReader, CutStory]:
    crawler = get_crawler(Spider, {"RETRY_TIMES": 1})
    spider = crawler._create_spider("test")
    crawler.spider = spider
    assert crawler.stats is not None
    story = CutStory(URL, URL, story_div_page(extra=LOAD_LINK), "text/html", "listing",
                     URL, datetime(2026, 1, 1, tzinfo=UTC), rendered=False)
    return spider, ContinuationReader(crawler.stats), story


def answer(request: Request, body: bytes, content_type: bytes = b"text/html") -> Response:
    cls = HtmlResponse if content_type == b"text/html" else Response
    return cls(request.url, body=body, headers={"Content-Type": content_type},
               request=request)


def test_the_continuation_is_joined_in_order() -> None:
    spider, reader, story = setup()
    request = reader.request(story, READMORE, spider.parse, lambda failure: None)
    assert "playwright" not in request.meta  # a plain fetch, never the browser
    joined = reader.join(answer(request, REST.encode()), story, spider)
    assert isinstance(joined, ArticleData)
    assert joined.paragraphs == (*PARAGRAPHS, "The fourth paragraph.",
                                 "The fifth one ends the story. - Reuters")


def test_an_unreadable_continuation_is_retried_then_quarantined() -> None:
    spider, reader, story = setup()
    request = reader.request(story, READMORE, spider.parse, lambda failure: None)
    retry = reader.join(answer(request, b"%PDF-1.4", b"application/pdf"), story, spider)
    assert isinstance(retry, Request) and retry.url == READMORE
    spent = reader.join(answer(retry, b"<div class='ad'>ADVERTISEMENT</div>"), story, spider)
    assert isinstance(spent, QuarantineItem)
    assert (spent.url, spent.reasons, spent.html) == (URL, ["body-incomplete"], story.html)
    assert reader.stats.get_value("newscrawl/bad_page/body-incomplete") == 1


def test_a_failed_fetch_quarantines_the_story() -> None:
    spider, reader, story = setup()
    request = reader.request(story, READMORE, spider.parse, lambda failure: None)
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = request  # type: ignore[attr-defined]
    quarantined = reader.failed(failure)
    assert quarantined.reasons == ["body-incomplete"] and quarantined.url == URL
