""""Others Also Read" is filled by JavaScript: empty without it, the file's links with it."""

from __future__ import annotations

from typing import Any

import pytest

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.browser  # the ``chromium`` fixture (tests/conftest.py) skips without one
LINKS = "() => [...document.querySelectorAll('h3')].filter(h => h.textContent === " \
        "'Others Also Read').flatMap(h => [...h.parentElement.querySelectorAll('a')])" \
        ".map(a => a.getAttribute('href'))"


def test_others_also_read_appears_only_after_javascript(
    replica: ReplicaServer, chromium: Any,
) -> None:
    article = next(a for a in replica.site.articles
                   if a.others_also_read and a.fault is None and a.in_section)
    expected = list(article.others_also_read)

    plain = chromium.new_context(java_script_enabled=False)
    try:
        page = plain.new_page()
        page.goto(replica.url(article.path), wait_until="load")
        assert page.evaluate(LINKS) == []
    finally:
        plain.close()

    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(replica.url(article.path), wait_until="domcontentloaded")
        page.wait_for_function(f"({LINKS})().length === {len(expected)}", timeout=10_000)
        assert page.evaluate(LINKS) == expected
    finally:
        context.close()
