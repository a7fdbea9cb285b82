"""Origins are scheme, host and port: the replica's other port is another origin."""

from __future__ import annotations

import pytest

from newscrawl.origins import OriginPolicy, origin_of


def test_another_port_of_the_replica_host_is_another_origin() -> None:
    policy = OriginPolicy("http://127.0.0.1:8080")
    assert policy.allows("http://127.0.0.1:8080/aseanplus/aseanplus-news")
    assert not policy.allows("http://127.0.0.1:8081/aseanplus/aseanplus-news")
    assert not policy.allows("https://127.0.0.1:8080/")
    assert not policy.allows("https://www.thestar.com.my/")  # the live site, from a test


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://www.thestar.com.my/aseanplus", True),
    ("http://thestar.com.my/x", True),
    ("https://www.thestar.com.my:443/x", True),
    ("https://www.thestar.com.my:8443/x", False),
    ("https://evil.example/x", False),
    ("https://www.thestar.com.my.evil.example/x", False),
    ("javascript:alert(1)", False),
    ("http://[oops/", False),
])
def test_the_site_origins(url: str, allowed: bool) -> None:
    assert OriginPolicy(None).allows(url) is allowed


def test_default_ports_are_explicit() -> None:
    assert origin_of("HTTPS://WWW.thestar.com.my/") == origin_of("https://www.thestar.com.my:443")


def test_a_list_service_adds_its_robots_txt_and_list_requests_go_anywhere() -> None:
    policy = OriginPolicy("http://127.0.0.1:8080")
    service = "http://127.0.0.1:8081/reco/v1/list?guid=123456"
    robots = "http://127.0.0.1:8081/robots.txt"
    assert policy.allows_request("http://127.0.0.1:8080/x")
    assert not policy.allows_request(robots)
    # A learned rule's list request goes where the rule points (the page's script went there).
    assert policy.allows_request(service, list_request=True)
    assert not policy.allows_request(service)
    policy.add_list_service(service)
    assert policy.list_services == {origin_of(service)}
    assert policy.allows_request(robots)
    assert not policy.allows_request(service)  # only as a list request
    assert not policy.allows_request("http://127.0.0.1:8081/robots.txt.bak")
    assert not policy.allows(robots)  # no page, redirect or refresh may lead there
    assert not policy.allows_request("https://127.0.0.1:8081/robots.txt")  # another origin


def test_registering_the_crawls_own_origin_or_a_non_url_changes_nothing() -> None:
    policy = OriginPolicy("http://127.0.0.1:8080")
    policy.add_list_service("http://127.0.0.1:8080/api/others-also-read?path=/x")
    policy.add_list_service("javascript:void(0)")
    assert policy.list_services == set()
