"""Downloader middleware that stops redirects leaving the crawl's hosts, with a reason.

Scrapy's own offsite filter drops such a redirect when the new request is scheduled, which
calls no errback: the story would vanish with only ``offsite/filtered`` to show for it. Raising
here, before ``RedirectMiddleware`` sees the response, sends the failure to the request's
errback, where the spider counts and logs it like any other failed fetch.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class OffHostRedirect(IgnoreRequest):
    """A redirect to a host outside the spider's ``allowed_domains``."""

    def __init__(self, location: str) -> None:
        super().__init__(f"redirect off the crawl's hosts to {location}")
        self.location = location


class OffHostRedirectMiddleware:
    """Must sit above RedirectMiddleware (600) in DOWNLOADER_MIDDLEWARES: process_response
    runs from the highest number down."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffHostRedirectMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in REDIRECT_STATUSES or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get("Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        if self._allowed(urlsplit(target).hostname or ""):
            return response
        raise OffHostRedirect(target)

    def _allowed(self, host: str) -> bool:
        domains = getattr(self.crawler.spider, "allowed_domains", None) or []
        if not domains:
            return True
        return any(host == domain or host.endswith("." + domain) for domain in domains)
