"""Get one page for ``newscrawl parse``: over plain HTTP as the crawl's downloader would, through
Chromium the way the crawl renders (same launch options, same request blocking, same wait for
"Others Also Read"), or from a saved file."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from newscrawl import rendering
from newscrawl.boilerplate import OTHERS_ALSO_READ_HEADING
from newscrawl.browser import find_browser
from newscrawl.settings import USER_AGENT

TIMEOUT_SECONDS: Final = 30


class FetchError(Exception):
    """The page could not be had at all (no answer, no browser); the message says why."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # where the body came from (after redirects), or the file's path
    status: int
    content_type: str | None
    body: bytes | str
    list_wait: str | None = None  # rendered: what the wait for the list found


def read_file(path: Path) -> FetchedPage:
    try:
        return FetchedPage(str(path), 200, None, path.read_bytes())
    except OSError as error:
        raise FetchError(f"cannot read {path}: {error.strerror or error}") from None


def fetch_plain(url: str) -> FetchedPage:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            try:
                body = response.read()
            except http.client.IncompleteRead as cut:  # what arrived: the parser judges it
                body = cut.partial
            return FetchedPage(response.geturl(), response.status,
                               response.headers.get("Content-Type"), body)
    except urllib.error.HTTPError as error:
        return FetchedPage(url, error.code, error.headers.get("Content-Type"), error.read())
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot fetch {url}: {reason}") from None


def fetch_rendered(url: str, *, browser_path: str | None = None,
                   extra_args: tuple[str, ...] = ()) -> FetchedPage:
    """The page after its scripts ran; ``browser_path`` and ``extra_args`` as the crawl takes
    them (NEWSCRAWL_BROWSER_PATH, NEWSCRAWL_BROWSER_ARGS)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = find_browser(browser_path)
    if executable is None:
        raise FetchError("--render needs Chromium and none was found "
                         "(apt-get install chromium, or playwright install chromium)")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                **rendering.launch_options(executable, extra_args))
            try:
                page = browser.new_page(user_agent=USER_AGENT)
                page.route("**/*", _blocking)
                response = page.goto(url, wait_until="load",
                                     timeout=rendering.NAVIGATION_TIMEOUT_MS)
                outcome = page.evaluate(rendering.WAIT_FOR_OTHERS_ALSO_READ_JS, {
                    "heading": OTHERS_ALSO_READ_HEADING, "quietMs": rendering.LIST_QUIET_MS,
                    "timeoutMs": rendering.LIST_TIMEOUT_MS})
                status = response.status if response is not None else 200
                content_type = response.headers.get("content-type") if response else None
                return FetchedPage(page.url, status, content_type, page.content(),
                                   str(outcome))
            finally:
                browser.close()
    except PlaywrightError as error:
        raise FetchError(f"cannot render {url}: {str(error).splitlines()[0]}") from None


def _blocking(route: Any) -> None:
    # The crawl's PLAYWRIGHT_ABORT_REQUEST rule, so the page renders as it does in the crawl.
    if rendering.should_abort_request(route.request):
        route.abort()
    else:
        route.continue_()
