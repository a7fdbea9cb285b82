"""The spider's "Others Also Read" glue driven in-process, without a reactor or a network.

``GlueRun`` builds the real ``TheStarSpider`` with the project's settings and answers its
requests from the replica's own router: plain pages at once, in the order they were asked for
(Scrapy's FIFO, one page at a time), and render requests only when the test says the browser
answers, with the page as its script would fill it (the list the page's request returns) and
the list's response captured, as ``browser_session`` captures it. The lists a learned rule
fetches (which the spider's callbacks await from the engine's downloader) come from the router
too, at once. So a test decides when learning can end, and watches what the spider holds back
meanwhile, with no timing involved.
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.settings import Settings
from scrapy.utils.reactor import is_reactor_installed

from newscrawl.browser_session import CAPTURED
from newscrawl.items import StoryItem
from newscrawl.others.inference import CapturedResponse
from newscrawl.replica import Site
from newscrawl.replica.others_source import OthersDelivery
from newscrawl.replica.router import SiteRouter
from newscrawl.spiders.held_stories import HeldStories
from newscrawl.spiders.others_list import OthersLists
from newscrawl.spiders.thestar import TheStarSpider
from newscrawl.urls import canonical_url, is_site_article

ORIGIN = "http://127.0.0.1:8000"
EMPTY_LIST = re.compile(r'(<ul id="reco-list"[^>]*>)(</ul>)')


class GlueRun:
    def __init__(self, site: Site, workdir: Path, browser: str,
                 held: HeldStories | None = None) -> None:
        self.site = site
        self.router = SiteRouter(site, OthersDelivery("api"))
        settings = Settings()
        settings.setmodule("newscrawl.settings", priority="project")
        settings.setdict({
            # Nothing here runs on a reactor, but an earlier test of the same process may have
            # installed one, and Scrapy refuses a reactor-less crawler then: take it as it is.
            "TWISTED_REACTOR_ENABLED": is_reactor_installed(),
            "TWISTED_REACTOR": None,
            "NEWSCRAWL_STATE": str(workdir / "state.sqlite"),
            "NEWSCRAWL_DATA_DIR": str(workdir / "data"),
            "NEWSCRAWL_STATS_PATH": str(workdir / "stats.json"),
            "NEWSCRAWL_BROWSER_PATH": browser,
        }, priority="cmdline")
        self.crawler = Crawler(TheStarSpider, settings, init_reactor=False)
        spider = self.crawler._create_spider(base_url=ORIGIN, render="auto")
        self.crawler.spider = spider
        self.crawler._apply_settings()
        assert isinstance(spider, TheStarSpider)
        self.spider = spider
        if held is not None:  # a budget a test can reach with a small site
            spider.others = OthersLists(spider, held)
        spider.others.fetcher.fetch = self._fetch_list
        self.list_requests: list[Request] = []
        self.plain: deque[Request] = deque()
        self.renders: deque[Request] = deque()
        self.items: list[StoryItem] = []
        self.max_stories_out = 0

    def start(self) -> None:
        async def first() -> list[Request]:
            return [request async for request in self.spider.start()]
        self._take(asyncio.run(first()))

    @property
    def stories_out(self) -> int:
        """Story requests the spider sent that have not come back."""
        return sum(1 for r in self.plain if r.callback == self.spider.parse_story)

    def stat(self, key: str) -> int:
        value = self.crawler.stats.get_value(key, 0)
        assert isinstance(value, int)
        return value

    def fetch_plain(self, limit: int | None = None) -> int:
        """Answer queued plain requests, first asked first (``limit`` of them, or all)."""
        done = 0
        while self.plain and (limit is None or done < limit):
            request = self.plain.popleft()
            body, content_type = self._serve(request.url)
            response = HtmlResponse(request.url, body=body, request=request,
                                    headers={"Content-Type": content_type})
            if request.callback is None:
                continue
            self._take(request.callback(response, **request.cb_kwargs))
            done += 1
        return done

    def answer_renders(self, limit: int | None = None, *, capture: bool = True) -> int:
        """The browser answers ``limit`` render requests (or all): the page with its list
        filled, and the list's response captured (unless ``capture`` is False: then nothing
        tells where the list came from)."""
        done = 0
        while self.renders and (limit is None or done < limit):
            request = self.renders.popleft()
            story = request.cb_kwargs["story"]
            article = self.site.get(urlsplit(story.url).path)
            assert article is not None
            page, _ = self._serve(request.url)
            list_url = f"{ORIGIN}/api/others-also-read?path={article.path}"
            captured, content_type = self._serve(list_url)
            if capture:
                request.meta[CAPTURED] = [CapturedResponse(list_url, 200, content_type,
                                                           captured.decode())]
            items = "".join(f'<li><a href="{href}">x</a></li>'
                            for href in article.others_also_read)
            text = page.decode()
            empty = EMPTY_LIST.search(text)
            assert empty is not None, request.url
            filled = text[:empty.end(1)] + items + text[empty.start(2):]
            response = HtmlResponse(request.url, body=filled.encode(), request=request,
                                    encoding="utf-8")
            assert request.callback is not None
            self._take(request.callback(response, **request.cb_kwargs))
            done += 1
        return done

    def settle(self, *, capture: bool = True) -> None:
        """Answer everything, the browser included, until nothing is in flight; then what
        the spider does when idle, until it asks for nothing more."""
        while self.plain or self.renders:
            while self.plain or self.renders:
                self.fetch_plain()
                self.answer_renders(capture=capture)
            self.idle()

    def idle(self) -> None:
        """Nothing left in flight: what the spider does on ``spider_idle``."""
        self._take(self.spider.others.spider_idle())

    def held(self) -> int:
        """Stories read and waiting for the rule, their pages in memory."""
        return self.spider.others.held_count

    def deferred(self) -> int:
        """Story requests waiting to be sent (small: no page yet)."""
        return self.spider.others.deferred_count

    def _serve(self, url: str) -> tuple[bytes, str]:
        parts = urlsplit(url)
        answer = self.router.resolve(parts.path + (f"?{parts.query}" if parts.query else ""))
        return answer.body, answer.content_type

    async def _fetch_list(self, request: Request) -> Response:
        self.list_requests.append(request)
        body, content_type = self._serve(request.url)
        return TextResponse(request.url, body=body, request=request, encoding="utf-8",
                            headers={"Content-Type": content_type})

    def _take(self, outputs: Iterable[Any] | AsyncIterator[Any] | None) -> None:
        if isinstance(outputs, AsyncIterator):  # a callback that awaits its list's request
            async def drain(results: AsyncIterator[Any]) -> list[Any]:
                return [result async for result in results]
            outputs = asyncio.run(drain(outputs))
        for output in outputs or ():
            if isinstance(output, Request):
                (self.renders if output.meta.get("playwright") else self.plain).append(output)
            elif isinstance(output, StoryItem):
                self.items.append(output)
        self.max_stories_out = max(self.max_stories_out, self.stories_out)


def expected_list(site: Site, url: str) -> list[str]:
    """The story's "Others Also Read" as the crawl should publish it: the replica's truth."""
    article = site.get(url.removeprefix("https://www.thestar.com.my"))
    assert article is not None, url
    links = (canonical_url(href, url) for href in article.others_also_read)
    return list(dict.fromkeys(link for link in links if is_site_article(link)))


def assert_every_list_whole(run: GlueRun) -> None:
    """Nothing left held; every listed story published once, each with its whole list."""
    assert run.held() == 0 and run.deferred() == 0
    records = [ItemAdapter(item).asdict() for item in run.items]
    urls = [record["url"] for record in records]
    assert len(urls) == len(set(urls))
    assert set(urls) >= {a.url for a in run.site.in_section() if not a.is_gallery}
    wrong = [r["url"] for r in records
             if r["related"]["others_also_read"] != expected_list(run.site, r["url"])]
    assert wrong == []
