"""The second origin of ``--others-source remote``: a recommendation service on its own port.

It answers ``GET <service_path>?site=…&guid=…&widget=…&n=…`` with the story's list as JSON in
its own shape, with CORS headers (pages on the replica's origin fetch it). Like a real service
it refuses requests without the site and widget ids the page carries, knows stories only by
their parse.ly guid, and stops answering on the old path once the endpoint changed.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Final
from urllib.parse import parse_qsl

from newscrawl.replica.others_source import (
    SERVICE_SITE_ID,
    SERVICE_WIDGET,
    OthersDelivery,
    list_items,
)
from newscrawl.replica.router import Response
from newscrawl.replica.site import Site, SiteArticle

JSON: Final = "application/json; charset=utf-8"
CORS: Final = (("Access-Control-Allow-Origin", "*"), ("Vary", "Origin"))
# How long the service takes to answer: a list that arrives well after the page loaded.
SERVICE_DELAY_S: Final = 0.2
CACHE_SIZE: Final = 4096


def _error(status: int, message: str) -> Response:
    return Response(status, JSON, json.dumps({"error": message}).encode(), CORS)


class ServiceRouter:
    """Resolves requests to the recommendation service; same interface as ``SiteRouter``."""

    def __init__(self, site: Site, delivery: OthersDelivery) -> None:
        self.site = site
        self.delivery = delivery
        self._by_guid: dict[str, SiteArticle] = {a.guid: a for a in site.articles}
        self._cache: OrderedDict[str, Response] = OrderedDict()

    def set_others(self, delivery: OthersDelivery) -> None:
        """Deliver the list another way from now on (rendered pages are forgotten)."""
        self.delivery = delivery
        self._cache.clear()

    def resolve(self, target: str, *, drifted: bool = False) -> Response:
        found = self._cache.get(target)
        if found is None:
            found = self._resolve(target)
            self._cache[target] = found
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return found

    def _resolve(self, target: str) -> Response:
        path, _, query = target.partition("?")
        if path != self.delivery.service_path():
            return _error(404, "no such endpoint")
        params = dict(parse_qsl(query))
        if params.get("site") != SERVICE_SITE_ID or params.get("widget") != SERVICE_WIDGET:
            return _error(400, "unknown site or widget")
        story = self._by_guid.get(params.get("guid", ""))
        if story is None:
            return _error(404, "unknown guid")
        if not params.get("n", "").isdigit():
            return _error(400, "n must be a number")
        docs = [{"headline": item["title"], "link": {"href": item["url"]},
                 "score": round(1.0 - index / 100, 2)}
                for index, item in enumerate(list_items(story, self.site))]
        body = {"requestId": f"rq-{story.guid}", "result": {"count": len(docs), "docs": docs}}
        return Response(200, JSON, json.dumps(body, ensure_ascii=False).encode("utf-8"), CORS,
                        kind="others")
