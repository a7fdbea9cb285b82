"""When and how a page goes through the browser (scrapy-playwright), and what the browser may load.

A rendered page costs about 40 plain requests, and the only thing the crawl needs from the
browser is the "Others Also Read" list that a script fills in after the page loaded. So the
browser gets one context, a bounded number of pages, and only the requests the list may need
(``browser_policy``); each page is guarded and counted (``browser_session``); it waits for
that list and nothing else. Most stories need no browser at all (``newscrawl.others``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from scrapy.settings import Settings
from scrapy_playwright.page import PageMethod

from newscrawl.boilerplate import OTHERS_ALSO_READ_HEADING
from newscrawl.browser_policy import BrowserPolicy, BrowserRequestGate
from newscrawl.browser_session import CAPTURE, BrowserSession

# Starts Playwright and Chromium beside the first plain pages (see browser_handler).
PLAYWRIGHT_HANDLER: Final = "newscrawl.browser_handler.EarlyPlaywrightDownloadHandler"
PLAIN_HANDLER: Final = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
# --disable-dev-shm-usage: containers often give /dev/shm 64 MB, too little for Chromium.
BASE_BROWSER_ARGS: Final = ("--disable-gpu", "--disable-dev-shm-usage")
NAVIGATION_TIMEOUT_MS: Final = 15_000
# The list counts as empty once the page has loaded nothing for this long.
LIST_QUIET_MS: Final = 1_500
# Hard bound on the wait for the list, after the page's load event.
LIST_TIMEOUT_MS: Final = 8_000
# Key of the page-method result in Request.meta["playwright_page_methods"].
LIST_WAIT: Final = "others_also_read"
# scrapy-playwright's own switch (0.0.48) for running Playwright in an event loop of its own,
# in a thread: always on for Windows; private, so ``configure`` sets it and a test checks the
# handler still reads it. On the crawl's loop, each of a render's ~30 round trips with the
# Playwright driver waits for a turn of a loop busy parsing dozens of story responses: at full
# crawl speed no render finished until the plain crawl was over (measured: renders sent at
# 12 s timed out at 56 s, checks sent at 66 s came back at 100 s). In its own thread it gets
# the interpreter every few ms (the GIL's switch interval), and renders take ~1.5 s again.
THREADED_LOOP: Final = "_PLAYWRIGHT_THREADED_LOOP"

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


# The default of PLAYWRIGHT_ABORT_REQUEST (settings.py); ``configure`` replaces it per run with
# a gate built from NEWSCRAWL_BROWSER_ALLOW_HOSTS / NEWSCRAWL_BROWSER_DENY_HOSTS.
should_abort_request: Final = BrowserRequestGate(BrowserPolicy())


def render_meta(*, read_list: bool, session: BrowserSession | None = None,
                capture: bool = False) -> dict[str, Any]:
    """Request.meta that sends a request through the browser; ``read_list`` waits for the list.

    ``session`` guards the page and counts its traffic; ``capture`` keeps its XHR/fetch
    responses (``browser_session.CAPTURED``) for learning where the list comes from.
    """
    # The HTML is there at DOMContentLoaded; the list's own wait (below) covers the rest, so
    # a slow stylesheet or a busy machine does not fail the navigation.
    meta: dict[str, Any] = {"playwright": True,
                            "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded"}}
    if session is not None:
        meta["playwright_page_init_callback"] = session.prepare_page
    if capture:
        meta[CAPTURE] = True
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


def list_outcome(meta: dict[str, Any], links: Sequence[str]) -> str:
    """What a rendered page's list turned out to be: "filled" when links were read from it,
    however the wait ended (on a busy machine the wait may time out a moment before the list
    lands, and the page is read after), else how the wait ended ("missing" if it did not run)."""
    if links:
        return "filled"
    return list_wait_outcome(meta) or "missing"


def configure(settings: Settings, *, enabled: bool, scheme: str, executable: str | None,
              extra_args: Sequence[str], max_pages: int,
              policy: BrowserPolicy | None = None) -> None:
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
    settings.set("PLAYWRIGHT_ABORT_REQUEST", BrowserRequestGate(policy or BrowserPolicy()),
                 priority="spider")
    settings.set(THREADED_LOOP, True, priority="spider")


def blocked_counts(settings: Settings) -> dict[str, int]:
    """How many browser requests the run's gate blocked, by reason."""
    gate = settings.get("PLAYWRIGHT_ABORT_REQUEST")
    return dict(gate.blocked) if isinstance(gate, BrowserRequestGate) else {}
