"""OriginGuardMiddleware on its own: what it blocks, with which reason, and what it lets by."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from newscrawl.middlewares import OffOriginRequest, OriginGuardMiddleware
from newscrawl.origins import OriginPolicy

REPLICA = "http://127.0.0.1:8080"
STORY = REPLICA + "/aseanplus/aseanplus-news/2026/11/20/a"


def guard() -> OriginGuardMiddleware:
    crawler = get_crawler(Spider)
    crawler._apply_settings()
    crawler.spider = SimpleNamespace(args=SimpleNamespace(base_url=REPLICA))  # type: ignore[assignment]
    return OriginGuardMiddleware(crawler)


def refresh_page(target: str, delay: int = 0) -> HtmlResponse:
    body = f'<html><head><meta http-equiv="refresh" content="{delay}; url={target}"></head></html>'
    return HtmlResponse(STORY, body=body.encode(), request=Request(STORY))


@pytest.mark.parametrize("target", ["http://127.0.0.1:8081/x", "https://127.0.0.1:8080/x",
                                    "https://www.thestar.com.my/x"])
def test_a_redirect_to_another_origin_is_blocked(target: str) -> None:
    middleware = guard()
    response = Response(STORY, status=301, headers={"Location": target})
    with pytest.raises(OffOriginRequest) as raised:
        middleware.process_response(Request(STORY), response)
    assert raised.value.reason == "offhost-redirect"
    assert middleware.crawler.stats.get_value("newscrawl/blocked/redirect") == 1


def test_a_redirect_inside_the_origin_passes() -> None:
    response = Response(STORY, status=301, headers={"Location": "/aseanplus/aseanplus-news"})
    assert guard().process_response(Request(STORY), response) is response


def test_a_meta_refresh_to_another_port_is_blocked() -> None:
    with pytest.raises(OffOriginRequest) as raised:
        guard().process_response(Request(STORY), refresh_page("http://127.0.0.1:9999/"))
    assert raised.value.reason == "offhost-meta-refresh"


def test_a_meta_refresh_that_would_not_be_followed_is_left_alone() -> None:
    page = refresh_page("http://127.0.0.1:9999/", delay=600)  # past METAREFRESH_MAXDELAY
    assert guard().process_response(Request(STORY), page) is page


def test_any_request_to_another_origin_is_blocked() -> None:
    middleware = guard()
    assert middleware.process_request(Request(STORY)) is None
    with pytest.raises(OffOriginRequest):
        middleware.process_request(Request("http://127.0.0.1:8081/aseanplus/aseanplus-news"))
    assert middleware.crawler.stats.get_value("newscrawl/blocked/request") == 1


def test_a_list_request_of_a_learned_rule_may_reach_the_list_service_but_not_be_redirected(
) -> None:
    from newscrawl.origins import LIST_REQUEST

    middleware = guard()
    service = "http://127.0.0.1:8081/reco/v1/list?guid=1"
    assert middleware.process_request(Request(service, meta={LIST_REQUEST: True})) is None
    redirected = Request("http://127.0.0.1:9999/x", meta={LIST_REQUEST: True, "redirect_times": 1})
    with pytest.raises(OffOriginRequest):
        middleware.process_request(redirected)
    with pytest.raises(OffOriginRequest):  # a plain request to the same service is not a list's
        middleware.process_request(Request(service))
    with pytest.raises(OffOriginRequest):  # nor its robots.txt, until a rule uses the service
        middleware.process_request(Request("http://127.0.0.1:8081/robots.txt"))
    middleware.policy.add_list_service(service)
    assert middleware.process_request(Request("http://127.0.0.1:8081/robots.txt")) is None
    with pytest.raises(OffOriginRequest):
        middleware.process_request(Request(service))


def test_the_guard_asks_the_spiders_own_policy() -> None:
    """The spider registers the list services its rules learn on ``spider.origins``; the guard
    sees them without being told."""
    crawler = get_crawler(Spider)
    crawler._apply_settings()
    origins = OriginPolicy(REPLICA)
    crawler.spider = SimpleNamespace(  # type: ignore[assignment]
        args=SimpleNamespace(base_url="http://127.0.0.1:7070"), origins=origins)
    middleware = OriginGuardMiddleware(crawler)
    assert middleware.policy is origins
    robots = "http://127.0.0.1:8081/robots.txt"
    with pytest.raises(OffOriginRequest):
        middleware.process_request(Request(robots))
    origins.add_list_service("http://127.0.0.1:8081/reco/v1/list?guid=1")
    assert middleware.process_request(Request(robots)) is None
    assert middleware.process_request(Request(STORY)) is None
