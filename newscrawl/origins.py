"""Which origins (scheme, host, port) the crawl may send a request to: the site's, or a replica's,
and the list services that learned "Others Also Read" rules fetch from.

A host name alone is not an origin: a meta refresh to another port of the replica's host passed
the old host check and was followed. Pure: no Scrapy, no network.
"""

from __future__ import annotations

from typing import Final, NamedTuple
from urllib.parse import urlsplit

from newscrawl.urls import SITE_HOSTS

DEFAULT_PORTS: Final = {"http": 80, "https": 443}
# Request.meta flag of an "Others Also Read" list fetched by a learned rule. The rule was
# learned from a request the story page's own script made, so its origin (a recommendation
# service on another host) is one the site itself uses: the one origin beyond the site's that
# the crawl may ask. Its redirects are judged like any other.
LIST_REQUEST: Final = "newscrawl_list_request"
ROBOTS_PATH: Final = "/robots.txt"


class Origin(NamedTuple):
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def origin_of(url: str) -> Origin | None:
    """The origin of an absolute http(s) URL; None for anything else (or a URL that won't parse)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return Origin(scheme, host, port if port is not None else DEFAULT_PORTS[scheme])


class OriginPolicy:
    """The site's origins (http and https on its hosts, default ports), or only ``base_url``'s;
    besides them, the list services a learned rule fetches from (``add_list_service``).

    With a replica, the live site is off limits too: a test must never reach the internet.
    """

    def __init__(self, base_url: str | None) -> None:
        replica = origin_of(base_url) if base_url else None
        if base_url and replica is None:
            raise ValueError(f"base_url {base_url!r} has no http(s) origin")
        self.allowed: frozenset[Origin] = frozenset(
            {replica} if replica is not None else
            {Origin(scheme, host, port) for scheme, port in DEFAULT_PORTS.items()
             for host in SITE_HOSTS}
        )
        self.list_services: set[Origin] = set()

    def allows(self, url: str) -> bool:
        """Whether ``url`` is on one of the crawl's own origins (where a page, a redirect or a
        meta refresh may lead)."""
        return origin_of(url) in self.allowed

    def add_list_service(self, url: str) -> None:
        """Register the origin of a list URL a learned rule made (see ``LIST_REQUEST``)."""
        service = origin_of(url)
        if service is not None and service not in self.allowed:
            self.list_services.add(service)

    def allows_request(self, url: str, *, list_request: bool = False) -> bool:
        """Whether a request may go to ``url``: a list request of a learned rule (not
        redirected: the caller says) goes wherever the rule points; otherwise the crawl's own
        origins, and of a registered list service only its robots.txt, which Scrapy fetches
        before the list."""
        if list_request or self.allows(url):
            return True
        return (origin_of(url) in self.list_services
                and urlsplit(url.strip()).path == ROBOTS_PATH)
