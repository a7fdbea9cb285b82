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
