""""Others Also Read" is filled by JavaScript: empty without it, the file's links with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from newscrawl.browser import find_browser
from newscrawl.replica import ReplicaServer

BROWSER = find_browser()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(BROWSER is None, reason="no Chromium found (newscrawl.browser)"),
]
ARGS = ["--disable-gpu", "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
LINKS = "() => [...document.querySelectorAll('h3')].filter(h => h.textContent === " \
        "'Others Also Read').flatMap(h => [...h.parentElement.querySelectorAll('a')])" \
        ".map(a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=BROWSER, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_others_also_read_appears_only_after_javascript(
    replica: ReplicaServer, browser: Any,
) -> None:
    article = next(a for a in replica.site.articles
                   if a.others_also_read and a.fault is None and a.in_section)
    expected = list(article.others_also_read)

    plain = browser.new_context(java_script_enabled=False)
    try:
        page = plain.new_page()
        page.goto(replica.url(article.path), wait_until="load")
        assert page.evaluate(LINKS) == []
    finally:
        plain.close()

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(replica.url(article.path), wait_until="domcontentloaded")
        page.wait_for_function(f"({LINKS})().length === {len(expected)}", timeout=10_000)
        assert page.evaluate(LINKS) == expected
    finally:
        context.close()
