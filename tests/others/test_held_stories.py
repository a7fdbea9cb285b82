"""Stories held while the list rule is learned: kept compressed, given back whole, and bounded
by bytes (so a run of any length holds a bounded amount) and by count."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from newscrawl.others.page_values import PageValues
from newscrawl.pages.values import ArticleData
from newscrawl.spiders.held_stories import HeldStories
from newscrawl.spiders.thestar import PendingStory

DATA = ArticleData(
    title="t", summary=None, paragraphs=("p",), published_at=datetime(2025, 7, 1, tzinfo=UTC),
    modified_at=None, authors=(), agency=None, dateline=None, section=None, tags=(),
    image=None, premium=False, next_in=(), others_also_read=())


def story(n: int, html: str | None) -> PendingStory:
    return PendingStory(DATA, f"https://www.thestar.com.my/aseanplus/aseanplus-news/2025/07/01/s{n}",
                        "listing", None, datetime(2025, 7, 1, tzinfo=UTC), html, "Aseanplus")


def page(n: int) -> PageValues:
    return PageValues(f"http://127.0.0.1/s{n}", {"page:path": f"/s{n}"})


def test_a_held_story_comes_back_whole_and_in_order() -> None:
    held = HeldStories()
    pages = ["<html>" + "Ünïcode \ud800 text " * 500 + f"{n}</html>" for n in range(3)]
    for n, html in enumerate(pages):
        held.add(story(n, html), page(n))
    held.add(story(3, None), page(3))
    assert len(held) == 4
    assert held.first().story.raw_html is None  # the page is not kept as text
    assert 0 < held.bytes < sum(len(p) for p in pages) / 10  # repetitive HTML compresses
    back = [held.pop() for _ in range(4)]
    assert [h.whole().raw_html for h in back] == [*pages, None]
    assert [h.page.values["page:path"] for h in back] == ["/s0", "/s1", "/s2", "/s3"]
    assert not held and held.bytes == 0


def test_the_budget_is_in_bytes_and_in_stories() -> None:
    noise = random.Random(1)
    by_bytes = HeldStories(max_bytes=50_000, max_stories=1000)
    while not by_bytes.full:
        html = "".join(noise.choice("abcdefghij<>/ ") for _ in range(5_000))
        by_bytes.add(story(len(by_bytes), html), page(0))
    assert by_bytes.bytes >= 50_000 and len(by_bytes) < 1000
    while by_bytes.bytes >= 50_000:
        by_bytes.pop()
    assert not by_bytes.full  # releasing stories makes room again
    by_count = HeldStories(max_bytes=10**9, max_stories=3)
    for n in range(3):
        assert not by_count.full
        by_count.add(story(n, "<p>x</p>"), page(n))
    assert by_count.full
