"""Observations made from the replica's own renderers: the page as served, the response the
list's script would get, and the list it shows. No browser: for the pure learning modules."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from newscrawl.others.inference import CapturedResponse, Observation
from newscrawl.others.page_values import read_page_values
from newscrawl.replica import Site, SiteArticle
from newscrawl.replica.article_render import render_article
from newscrawl.replica.others_service import ServiceRouter
from newscrawl.replica.others_source import (
    SERVICE_COUNT,
    SERVICE_SITE_ID,
    SERVICE_WIDGET,
    OthersDelivery,
    OthersSource,
)
from newscrawl.replica.router import SiteRouter

ORIGIN = "http://127.0.0.1:8000"
SERVICE = "http://127.0.0.1:9000"


@dataclass(frozen=True)
class ReplicaPages:
    site: Site
    source: OthersSource
    revision: int = 0

    @property
    def delivery(self) -> OthersDelivery:
        return OthersDelivery(self.source, self.revision,
                              SERVICE if self.source == "remote" else "")

    def html(self, article: SiteArticle) -> str:
        return render_article(article, self.site, others=self.delivery)

    def list_url(self, article: SiteArticle) -> str | None:
        """The request the page's script makes for its list (None: inline, no request)."""
        delivery = self.delivery
        if self.source == "api":
            return f"{ORIGIN}{delivery.api_path()}?{delivery.api_key()}={article.path}"
        if self.source == "remote":
            return (f"{SERVICE}{delivery.service_path()}?site={SERVICE_SITE_ID}"
                    f"&guid={article.guid}&widget={SERVICE_WIDGET}&n={SERVICE_COUNT}")
        return None

    def serve(self, url: str) -> CapturedResponse:
        """What the replica answers to ``url`` (site or service)."""
        target = url.split("//", 1)[1].partition("/")[2]
        router = (ServiceRouter(self.site, self.delivery) if url.startswith(SERVICE)
                  else SiteRouter(self.site, self.delivery))
        response = router.resolve("/" + target)
        return CapturedResponse(url, response.status, response.content_type,
                                response.body.decode("utf-8"))

    def observation(self, article: SiteArticle, *, extra: tuple[str, ...] = ()) -> Observation:
        """One rendered page: the browser fetched the list's URL (and ``extra`` URLs)."""
        page = read_page_values(ORIGIN + article.path, self.html(article))
        url = self.list_url(article)
        responses = tuple(self.serve(u) for u in (*extra, *([url] if url else [])))
        return Observation(page, article.url, responses, shown(article))


def shown(article: SiteArticle) -> tuple[str, ...]:
    """The list as ArticlePage reads it from the rendered page (hrefs made absolute)."""
    return tuple(href if href.startswith(("http://", "https://")) else urljoin(article.url, href)
                 for href in article.others_also_read)
