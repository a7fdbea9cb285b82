"""When and how a page goes through the browser (scrapy-playwright), and what the browser may load.

A rendered page costs about 40 plain requests, and the only thing the crawl needs from the
browser is the "Others Also Read" list that a script fills in after the page loaded. So the
browser gets one context, a bounded number of pages, no images, fonts or media, and no request
to any host but the page's own; it waits for that list and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from scrapy.settings import Settings
from scrapy_playwright.page import PageMethod

from newscrawl.boilerplate import OTHERS_ALSO_READ_HEADING

PLAYWRIGHT_HANDLER: Final = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
PLAIN_HANDLER: Final = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
# --disable-dev-shm-usage: containers often give /dev/shm 64 MB, too little for Chromium.
BASE_BROWSER_ARGS: Final = ("--disable-gpu", "--disable-dev-shm-usage")
BLOCKED_RESOURCE_TYPES: Final = frozenset({"image", "font", "media"})
NAVIGATION_TIMEOUT_MS: Final = 15_000
# The list counts as empty once the page has loaded nothing for this long.
LIST_QUIET_MS: Final = 1_500
# Hard bound on the wait for the list, after the page's load event.
LIST_TIMEOUT_MS: Final = 8_000
# Key of the page-method result in Request.meta["playwright_page_methods"].
LIST_WAIT: Final = "others_also_read"

# Resolves to "filled" (the list holds a link), "empty" (the page went quiet with the list
# empty), "missing" (quiet, and no heading) or "timeout". It never throws, so a slow or odd
# page still gives its HTML. The list is found by its heading text, not by a class: it is
# the first element after the heading (or after the heading's wrapper) that is not a script.
WAIT_FOR_OTHERS_ALSO_READ_JS: Final = """
async ({heading, quietMs, timeoutMs}) => {
  const wanted = heading.toLowerCase();
  const findList = () => {
    for (const el of document.querySelectorAll('h1,h2,h3,h4,h5,h6,header,div,span,p,strong')) {
      if (el.textContent.trim().toLowerCase() !== wanted) continue;
      for (let node = el; node && node !== document.body; node = node.parentElement) {
        let next = node.nextElementSibling;
        while (next && (next.tagName === 'SCRIPT' || next.tagName === 'STYLE')) {
          next = next.nextElementSibling;
        }
        if (next) return next;
      }
    }
    return null;
  };
  const start = performance.now();
  let seen = -1;
  let lastActivity = start;
  for (;;) {
    const list = findList();
    if (list && list.querySelector('a[href]')) return 'filled';
    const now = performance.now();
    const loaded = performance.getEntriesByType('resource').length;
    if (loaded !== seen) { seen = loaded; lastActivity = now; }
    if (document.readyState === 'complete' && now - lastActivity >= quietMs) {
      return list ? 'empty' : 'missing';
    }
    if (now - start >= timeoutMs) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
"""


def launch_options(executable: str | None, extra_args: Sequence[str] = ()) -> dict[str, Any]:
    """Playwright's launch options. Playwright itself adds --headless, --no-sandbox and
    --disable-background-networking, so they are not repeated here."""
    options: dict[str, Any] = {"headless": True, "args": [*BASE_BROWSER_ARGS, *extra_args]}
    if executable:
        options["executable_path"] = executable
    return options


def should_abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: drop heavy resources and everything off the page's origin.

    ``request`` is a ``playwright.async_api.Request``; typed loosely because Playwright's types
    are not checked here. The main document's own navigation has no page URL yet and passes.
    """
    if request.resource_type in BLOCKED_RESOURCE_TYPES:
        return True
    try:
        frame = request.frame
    except Exception:  # service-worker requests have no frame: nothing the list needs
        return True
    if request.is_navigation_request() and frame.parent_frame is None:
        return False
    return _origin(request.url) != _origin(frame.page.url)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def render_meta(*, read_list: bool) -> dict[str, Any]:
    """Request.meta that sends a request through the browser; ``read_list`` waits for the list."""
    meta: dict[str, Any] = {"playwright": True}
    if read_list:
        meta["playwright_page_methods"] = {
            LIST_WAIT: PageMethod(
                "evaluate",
                WAIT_FOR_OTHERS_ALSO_READ_JS,
                {"heading": OTHERS_ALSO_READ_HEADING, "quietMs": LIST_QUIET_MS,
                 "timeoutMs": LIST_TIMEOUT_MS},
            )
        }
    return meta


def list_wait_outcome(meta: dict[str, Any]) -> str | None:
    """What the wait for the list found ("filled", "empty", "missing", "timeout"), if it ran."""
    methods = meta.get("playwright_page_methods")
    if not isinstance(methods, dict):
        return None
    method = methods.get(LIST_WAIT)
    result = getattr(method, "result", None)
    return result if isinstance(result, str) else None


def configure(settings: Settings, *, enabled: bool, scheme: str, executable: str | None,
              extra_args: Sequence[str], max_pages: int) -> None:
    """Fit the browser settings to this run, before the crawler freezes its settings.

    Each scheme with the Playwright handler starts its own Playwright driver (~150 MB) even
    when no request is rendered, so only the scheme the crawl fetches from gets one, and none
    when the run renders nothing.
    """
    handlers = {name: PLAIN_HANDLER for name in ("http", "https")}
    if enabled:
        handlers[scheme] = PLAYWRIGHT_HANDLER
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch_options(executable, extra_args),
                 priority="spider")
    settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", max_pages, priority="spider")
