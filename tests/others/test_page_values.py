"""A story's values read for a rule (only the locators it reads: the cheap path of every story)
are the values a full read of the page finds, for every locator of every delivery mode."""

from __future__ import annotations

import pytest
from replica_pages import ORIGIN, ReplicaPages

from newscrawl.others.page_values import read_page_values
from newscrawl.replica import synthetic_site
from newscrawl.replica.others_source import OthersSource

SITE = synthetic_site(12, seed=3)


@pytest.mark.parametrize("source", ["api", "remote", "inline"])
def test_values_read_for_a_rule_equal_those_of_a_full_read(source: OthersSource) -> None:
    pages = ReplicaPages(SITE, source)
    for article in SITE.articles:
        html = pages.html(article)
        full = read_page_values(ORIGIN + article.path, html)
        names = sorted({*full.values, *full.blocks})
        assert any(n.startswith("script:") for n in names)
        assert any(n.startswith("attr:") for n in names)
        # One locator at a time, and a few of different kinds together.
        for wanted in [{name} for name in names] + [set(names[i::5]) for i in range(5)]:
            read = read_page_values(ORIGIN + article.path, html, wanted=frozenset(wanted))
            for name in wanted:
                assert read.values.get(name) == full.values.get(name), name
                assert read.blocks.get(name) == full.blocks.get(name), name
