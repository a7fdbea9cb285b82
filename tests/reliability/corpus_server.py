"""A small test-side web server for the reliability suite: it serves a fixed table of responses.

Not the replica: the corpus is made by the tests (``malformed_corpus``), and a second instance
on another port is the "trap" that must never be asked for anything. Like the replica, it
imports nothing of the crawler.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

SECTION_PATH = "/aseanplus/aseanplus-news"


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)


@dataclass
class CorpusServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path.split("?")[0]) or Route(404, b"")
                self.send_response(route.status)
                for name, value in route.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> CorpusServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


def listing_html(paths: list[str]) -> bytes:
    """A section listing page (the site's ``h2.f18 > a`` headline links), with no next page."""
    links = "\n".join(f'<h2 class="f18"><a href="{p}">story {i}</a></h2>'
                      for i, p in enumerate(paths))
    return (f"<!DOCTYPE html><html><head><title>Aseanplus News</title></head><body>"
            f'<div class="timeline">{links}</div></body></html>').encode()
