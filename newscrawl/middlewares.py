"""OriginGuardMiddleware: no request leaves the crawl's origins, and each one stopped says why.

Scrapy's offsite filter compares host names only, and drops an offsite redirect when the new
request is scheduled, which calls no errback: the story vanished with only a DEBUG line.
Here the redirect (3xx ``Location``) and the meta refresh are judged when their response comes
back, before RedirectMiddleware (600) and MetaRefreshMiddleware (580) see it, and the raised
``OffOriginRequest`` goes to the request's errback, where the spider counts the story. Any
other request to a foreign origin (a link resolved against a ``<base href>`` elsewhere, a
component's own request) is stopped in ``process_request``. Each block is counted as
``newscrawl/blocked/<kind>``.
"""

from __future__ import annotations

import logging
from typing import Final, Literal, Self
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh

from newscrawl.meta_refresh import may_refresh
from newscrawl.origins import LIST_REQUEST, OriginPolicy

logger = logging.getLogger(__name__)

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
STATS_PREFIX: Final = "newscrawl/blocked"
BlockKind = Literal["redirect", "meta-refresh", "request"]


class OffOriginRequest(IgnoreRequest):
    """A request, redirect or meta refresh to an origin outside the crawl's."""

    def __init__(self, target: str, kind: BlockKind) -> None:
        super().__init__(f"{kind} to another origin: {target}")
        self.target = target
        self.kind = kind

    @property
    def reason(self) -> str:
        """The failure slug the spider counts (``offhost-redirect``, ``offhost-meta-refresh``…)."""
        return f"offhost-{self.kind}"


class OriginGuardMiddleware:
    """Must sit above RedirectMiddleware (600) in DOWNLOADER_MIDDLEWARES: process_response
    runs from the highest number down."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._policy: OriginPolicy | None = None
        self._meta_refresh = crawler.settings.getbool("METAREFRESH_ENABLED")
        self._ignore_tags = crawler.settings.getlist("METAREFRESH_IGNORE_TAGS")
        self._max_delay = crawler.settings.getfloat("METAREFRESH_MAXDELAY")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def policy(self) -> OriginPolicy:
        """The spider's ``origins`` (where it registers learned list services), else one of
        its ``base_url``. Found on first use: the spider does not exist yet at init."""
        if self._policy is None:
            spider = self.crawler.spider
            own = getattr(spider, "origins", None)
            args = getattr(spider, "args", None)
            self._policy = (own if isinstance(own, OriginPolicy)
                            else OriginPolicy(getattr(args, "base_url", None)))
        return self._policy

    def process_request(self, request: Request) -> None:
        # A redirect of a list request is judged like any other request (origins.LIST_REQUEST).
        list_request = bool(request.meta.get(LIST_REQUEST)
                            and not request.meta.get("redirect_times"))
        if not self.policy.allows_request(request.url, list_request=list_request):
            self._block(request, request.url, "request")

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_redirect"):
            return response
        if response.status in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if location:
                target = urljoin(request.url, location.decode("latin-1").strip())
                if not self.policy.allows(target):
                    self._block(request, target, "redirect")
        elif (self._meta_refresh and isinstance(response, HtmlResponse)
              and may_refresh(response)):
            # What MetaRefreshMiddleware would follow: a target, within METAREFRESH_MAXDELAY.
            delay, refresh = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if refresh and (delay or 0) < self._max_delay and not self.policy.allows(refresh):
                self._block(request, refresh, "meta-refresh")
        return response

    def _block(self, request: Request, target: str, kind: BlockKind) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"{STATS_PREFIX}/{kind}")
        logger.warning("Blocked a %s to another origin: %s (from %s)", kind, target, request.url)
        raise OffOriginRequest(target, kind)

