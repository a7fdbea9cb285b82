"""What the browser may load while it renders a story (issue 9: no leaving the page)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest

from newscrawl.browser import find_browser
from newscrawl.browser_policy import BrowserPolicy, BrowserRequest, BrowserRequestGate
from newscrawl.browser_session import BrowserSession
from newscrawl.config import ConfigError, NewscrawlConfig

PAGE = "http://127.0.0.1:8000/aseanplus/aseanplus-news/2025/06/30/story"


def reason(url: str, kind: str, policy: BrowserPolicy | None = None, *, navigation: bool = False,
           main_frame: bool = True, page: str = PAGE) -> str | None:
    return (policy or BrowserPolicy()).block_reason(
        BrowserRequest(url, kind, page, navigation=navigation, main_frame=main_frame))


@pytest.mark.parametrize(("url", "kind", "expected"), [
    ("https://reco.example.net/v1/list?guid=1", "fetch", None),
    ("https://cdn.cxense.com/cx.js", "script", None),
    ("https://api.example.org/related", "xhr", None),
    ("http://127.0.0.1:8000/api/others-also-read", "fetch", None),
    ("http://127.0.0.1:8000/style.css", "stylesheet", None),
    ("https://apicms.thestar.com.my/uploads/a.jpg", "image", "heavy"),
    ("http://127.0.0.1:8000/font.woff2", "font", "heavy"),
    ("https://cdn.example.net/clip.mp4", "media", "heavy"),
    ("https://www.googletagmanager.com/gtm.js", "script", "ad-or-analytics"),
    ("https://securepubads.g.doubleclick.net/tag/js/gpt.js", "script", "ad-or-analytics"),
    ("https://other.example.net/style.css", "stylesheet", "other-origin"),
    ("https://other.example.net/frame.html", "document", "other-origin"),
    ("https://collector.example.net/ping", "ping", "tracking"),
    ("ftp://files.example.net/x", "fetch", "scheme"),
])
def test_scripts_and_data_go_anywhere_heavy_and_tracking_nowhere(
        url: str, kind: str, expected: str | None) -> None:
    assert reason(url, kind) == expected


def test_the_main_frame_loads_the_story_once_and_never_leaves_it() -> None:
    assert reason(PAGE, "document", navigation=True, page="about:blank") is None
    for target in ("https://evil.example.net/", PAGE + "?again", "http://127.0.0.1:9000/x"):
        assert reason(target, "document", navigation=True) == "navigation"
    # A frame of the page's own origin may load; another origin's may not.
    assert reason("http://127.0.0.1:8000/embed", "document", navigation=True,
                  main_frame=False) is None


def test_settings_allow_and_deny_hosts() -> None:
    only = BrowserPolicy(allow_hosts=("reco.example.net",))
    assert reason("https://reco.example.net/list", "fetch", only) is None
    assert reason("https://api.reco.example.net/list", "fetch", only) is None
    assert reason("https://other.example.org/list", "fetch", only) == "not-allowed-host"
    assert reason("http://127.0.0.1:8000/api", "fetch", only) is None  # the page's own origin
    allowed_ads = BrowserPolicy(allow_hosts=("doubleclick.net",))
    assert reason("https://g.doubleclick.net/x.js", "script", allowed_ads) is None
    denied = BrowserPolicy(deny_hosts=("127.0.0.1",))
    assert reason("http://127.0.0.1:8000/api", "fetch", denied) == "denied-host"
    config = NewscrawlConfig.from_settings({
        "NEWSCRAWL_BROWSER_ALLOW_HOSTS": "reco.example.net, .cxense.com",
        "NEWSCRAWL_BROWSER_DENY_HOSTS": ["ads.example.com"]})
    assert config.browser_allow_hosts == ("reco.example.net", "cxense.com")
    assert config.browser_deny_hosts == ("ads.example.com",)
    with pytest.raises(ConfigError, match="not a host name"):
        NewscrawlConfig.from_settings({"NEWSCRAWL_BROWSER_DENY_HOSTS": "https://x.example/"})


def test_the_gate_counts_what_it_blocks() -> None:
    gate = BrowserRequestGate(BrowserPolicy())
    frame = SimpleNamespace(page=SimpleNamespace(url=PAGE), parent_frame=None)
    image = SimpleNamespace(url="http://127.0.0.1:8000/a.png", resource_type="image",
                            frame=frame, is_navigation_request=lambda: False)
    script = SimpleNamespace(url="https://x.example/a.js", resource_type="script", frame=frame,
                             is_navigation_request=lambda: False)
    assert gate(image) is True and gate(script) is False
    assert dict(gate.blocked) == {"heavy": 1}


# --- a hostile page in a real Chromium ----------------------------------------------------

HOSTILE = """<!doctype html><html><head>
<meta http-equiv="refresh" content="0;url={other}/refresh">
</head><body><h1>Story</h1>
<form id="f" action="{other}/form" method="post"><input name="x" value="1">
<button id="b" type="submit">go</button></form>
<img src="{other}/image.png">
<script>
  try {{ new WebSocket("ws://{other_host}/socket"); }} catch (e) {{}}
  window.open("{other}/popup");
  const a = document.createElement("a"); a.href = "{other}/blank"; a.target = "_blank";
  document.body.appendChild(a); a.click();
  document.getElementById("f").submit();
  document.getElementById("b").click();
  fetch("{other}/data.json").then((r) => r.text()).then((t) => {{ document.title = t; }});
  setTimeout(() => {{ location.href = "{other}/href"; }}, 50);
</script></body></html>"""


class Recorder(BaseHTTPRequestHandler):
    hits: list[str]
    page: str = ""

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path == "/story":
            body = self.page.encode()
            kind = "text/html"
        else:
            body, kind = b"list", "text/plain"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.do_GET()

    def log_message(self, *args: Any) -> None:
        pass


def server(page: str = "") -> tuple[ThreadingHTTPServer, list[str]]:
    hits: list[str] = []
    handler = type("Handler", (Recorder,), {"hits": hits, "page": page})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, hits


@pytest.fixture
def origins() -> Iterator[tuple[str, list[str], list[str]]]:
    other, other_hits = server()
    other_origin = f"http://127.0.0.1:{other.server_address[1]}"
    page = HOSTILE.format(other=other_origin, other_host=f"127.0.0.1:{other.server_address[1]}")
    site, site_hits = server(page)
    yield f"http://127.0.0.1:{site.server_address[1]}/story", site_hits, other_hits
    for httpd in (site, other):
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
@pytest.mark.skipif(find_browser() is None, reason="no Chromium for Playwright here")
def test_a_hostile_page_cannot_send_the_browser_to_another_origin(
        origins: tuple[str, list[str], list[str]]) -> None:
    story, site_hits, other_hits = origins
    counted: dict[str, int] = {}
    stats = SimpleNamespace(inc_value=lambda key, n=1: counted.update({key: counted.get(key, 0)
                                                                        + n}))
    gate = BrowserRequestGate(BrowserPolicy())
    asyncio.run(render(story, gate, BrowserSession(stats)))  # type: ignore[arg-type]
    assert site_hits == ["/story"]
    # The list's data may come from another origin: fetch went; nothing else did.
    assert other_hits == ["/data.json"]
    assert counted["newscrawl/browser/blocked/navigation"] >= 1 and gate.blocked["heavy"] == 1
    assert counted.get("newscrawl/browser/websocket_opened") is None


async def render(url: str, gate: BrowserRequestGate, session: BrowserSession) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=find_browser(), args=[
            "--disable-gpu", "--disable-dev-shm-usage"])
        page = await (await browser.new_context()).new_page()

        async def route(route: Any, request: Any) -> None:  # as scrapy-playwright routes
            await (route.abort() if gate(request) else route.continue_())

        await page.route("**", route)
        await session.prepare_page(page, SimpleNamespace(meta={}))  # type: ignore[arg-type]
        # Up to DOMContentLoaded, as the crawl's renders (rendering.render_meta): the headless
        # shell never reports "load" to Playwright once the page's own navigation got its 204
        # (the document itself does reach readyState "complete"). A generous timeout:
        # Playwright's 30 s default was hit on a machine at load 10+.
        await page.goto(url, timeout=120_000, wait_until="domcontentloaded")
        await page.wait_for_timeout(1500)
        assert page.url == url
        await browser.close()
