"""Helpers of the replica's own tests: raw HTTP fetches (no redirects followed) and parsing."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from newscrawl.replica import ReplicaServer


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def tree(self) -> lxml.html.HtmlElement:
        return lxml.html.fromstring(self.body)


def fetch(server: ReplicaServer, target: str, method: str = "GET") -> Fetched:
    """One request on a fresh connection; redirects are returned, not followed."""
    parts = urlsplit(server.origin)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request(method, target)
        response = conn.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Fetched(response.status, headers, body)
    finally:
        conn.close()
