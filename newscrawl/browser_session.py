"""Each rendered page's set-up: guards against leaving the page, traffic stats, capture.

``BrowserSession.prepare_page`` is the ``playwright_page_init_callback`` of every render: it
runs before the story is loaded and

- adds ``GUARD_JS``, so the page cannot open WebSockets or popups (``window.open``) or submit
  forms; answers any later top-frame navigation (``location.href``, a meta refresh, to any
  origin) with a 204, so the page stays; a popup that opens anyway (a ``target=_blank`` click)
  gets no request out (a context route refuses all) and is closed;
- counts every browser request by host and by resource type (``newscrawl/browser/…``);
- with ``capture``, keeps the bodies of the page's XHR/fetch responses in
  ``request.meta[CAPTURED]``, so the crawl can learn where the "Others Also Read" list came
  from (``newscrawl.others``).

Playwright objects are typed loosely (``Any``): Playwright's types are not checked here.
"""

from __future__ import annotations

import logging
from typing import Any, Final
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.statscollectors import StatsCollector

from newscrawl.others.inference import CapturedResponse

logger = logging.getLogger(__name__)

CAPTURED: Final = "newscrawl_captured"
CAPTURE: Final = "newscrawl_capture"
CAPTURED_TYPES: Final = frozenset({"xhr", "fetch"})
MAX_CAPTURED_BYTES: Final = 2 * 1024 * 1024
STATS: Final = "newscrawl/browser"

GUARD_JS: Final = """
(() => {
  const blocked = (what) => { window.__newscrawlBlocked = (window.__newscrawlBlocked || 0) + 1; };
  const NoSocket = function () {
    blocked('websocket');
    throw new DOMException('blocked by the crawler', 'SecurityError');
  };
  NoSocket.CONNECTING = 0; NoSocket.OPEN = 1; NoSocket.CLOSING = 2; NoSocket.CLOSED = 3;
  Object.defineProperty(window, 'WebSocket', {value: NoSocket, writable: false});
  window.open = function () { blocked('popup'); return null; };
  HTMLFormElement.prototype.submit = function () { blocked('form'); };
  HTMLFormElement.prototype.requestSubmit = function () { blocked('form'); };
  document.addEventListener('submit', (e) => { blocked('form'); e.preventDefault(); }, true);
})();
"""


class BrowserSession:
    """Prepares each rendered page; one per spider, counting into the crawl's stats."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self._guarded_contexts: set[int] = set()

    async def prepare_page(self, page: Any, request: Request) -> None:
        await page.add_init_script(GUARD_JS)
        # Registered after scrapy-playwright's route, so it sees each request first.
        await page.route("**", self._stay_on_page)
        context = page.context
        if id(context) not in self._guarded_contexts:
            # scrapy-playwright routes each page it opens; a page it did not open (a popup
            # that got through) falls back to this context route, which lets nothing out.
            self._guarded_contexts.add(id(context))
            await context.route("**", self._refuse)
        page.on("request", self._count_request)
        page.on("popup", self._close_popup)
        page.on("websocket", self._count_websocket)
        if request.meta.get(CAPTURE):
            captured: list[CapturedResponse] = request.meta.setdefault(CAPTURED, [])

            async def keep(response: Any) -> None:
                await _capture(response, captured)

            page.on("response", keep)

    async def _stay_on_page(self, route: Any, request: Any) -> None:
        """A second top-frame navigation (``location.href``, meta refresh, form submit) gets
        an HTTP 204, on which the browser stays where it is: aborting it would replace the
        story with Chromium's error page before its HTML is read."""
        try:
            leaving = (request.is_navigation_request() and request.frame.parent_frame is None
                       and request.frame.page.url not in ("", "about:blank"))
        except Exception:  # no frame (service worker): the request policy decides
            leaving = False
        if leaving:
            self.stats.inc_value(f"{STATS}/blocked/navigation")
            await route.fulfill(status=204, body="")
        else:
            await route.fallback()

    async def _refuse(self, route: Any, request: Any) -> None:
        self.stats.inc_value(f"{STATS}/blocked/unowned_page")
        await route.abort()

    def _count_request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        host = parts.netloc or parts.scheme  # with the port: two origins may share a host
        self.stats.inc_value(f"{STATS}/requests")
        self.stats.inc_value(f"{STATS}/host/{host}")
        self.stats.inc_value(f"{STATS}/resource_type/{request.resource_type}")

    async def _close_popup(self, popup: Any) -> None:
        self.stats.inc_value(f"{STATS}/blocked/popup")
        try:
            await popup.close()
        except Exception as error:  # already gone with its opener: nothing left to close
            logger.debug("popup already closed: %s", error)

    def _count_websocket(self, socket: Any) -> None:
        # GUARD_JS replaces WebSocket; one that still opened is a hole in the guard.
        self.stats.inc_value(f"{STATS}/websocket_opened")
        logger.warning("a page opened a WebSocket despite the guard: %s", socket.url)


async def _capture(response: Any, into: list[CapturedResponse]) -> None:
    request = response.request
    if request.resource_type not in CAPTURED_TYPES:
        return
    try:
        headers = await response.all_headers()
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_CAPTURED_BYTES:
            return
        body = await response.body()
    except Exception as error:  # the page closed before the body arrived: not evidence
        logger.debug("response body not captured (%s): %s", error, response.url)
        return
    into.append(CapturedResponse(
        url=response.url, status=response.status,
        content_type=headers.get("content-type", ""),
        body=body[:MAX_CAPTURED_BYTES].decode("utf-8", "replace")))
