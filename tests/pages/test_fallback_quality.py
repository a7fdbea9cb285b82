"""The fallback extractor on real pages of other sites (the extraction dev set), one page for
each class of failure seen, and its rules on hand-made readings."""

from __future__ import annotations

import pytest
import trafilatura

from newscrawl.pages import FallbackArticlePage, PageError
from newscrawl.pages.generic_body import agrees, choose_reading, drop_headline, trim_edges
from newscrawl.pages.shingles import overlap

from .extraction_dev import load_dev_pages

# One page per class of failure of the old fallback (and one where trimming matters).
CLASSES = {
    "57e2e98887": "article container's class contains 'advert' (native-advertising-platform)",
    "dfd43bc0d4": "whole-page wrapper's class contains 'advert'",
    "65408257db": "the h1 sits in the body's container",
    "11ea381ad9": "story laid out in tables",
    "08f7937627": "headline, standfirst and a newsletter box at the body's edges",
    "fde930b018": "trafilatura alone keeps the wrong container",
}
PAGES = {page.id[:10]: page for page in load_dev_pages(ids=list(CLASSES))}
# The goal: never more than this below trafilatura alone on a page.
MAX_LOSS = 0.05


@pytest.mark.parametrize("page_id", sorted(CLASSES))
def test_fallback_keeps_the_body(page_id: str) -> None:
    page = PAGES[page_id]
    body = "\n".join(FallbackArticlePage(page.url, page.html).paragraphs())
    alone = trafilatura.extract(page.html, url=page.url, include_comments=False) or ""
    found, baseline = overlap(page.body, body), overlap(page.body, alone)
    assert found.f1 >= baseline.f1 - MAX_LOSS, CLASSES[page_id]
    assert found.recall >= 0.9, CLASSES[page_id]
    assert found.f1 >= 0.9, CLASSES[page_id]


STORY = ["The council met on Monday to decide the future of the old coastal road.",
         "It voted to widen the road by two lanes next year, at a cost of 40 million.",
         "Residents who spoke at the meeting were split on the plan, which needs 30 homes.",
         "The work is due to start in March and to last until the end of the following year."]
SIGNUP = "Get the day's top stories in your inbox every morning. Sign up now."
RELATED = "Five other things to know about roads in the region"


def test_edges_the_second_reader_lacks_are_trimmed() -> None:
    assert trim_edges([SIGNUP, *STORY, RELATED], STORY) == STORY
    assert trim_edges([SIGNUP, *STORY], [*STORY, RELATED]) == STORY


def test_a_line_in_the_middle_is_never_dropped() -> None:
    embedded = "— A resident (@resident) on the social network, 3 March"
    first = [STORY[0], embedded, *STORY[1:]]
    assert trim_edges(first, STORY) == first


def test_no_trimming_when_the_readers_chose_other_containers() -> None:
    other_part = [SIGNUP, RELATED, STORY[2]]
    assert not agrees(STORY, other_part)
    assert trim_edges(STORY, other_part) == STORY
    assert trim_edges(STORY, []) == STORY


def test_a_reading_that_lost_the_body_is_replaced() -> None:
    notice = ["This article first appeared in the Courier and is reprinted with permission."]
    long_story = [*STORY, *(f"{line} Paragraph {i} goes on." for i, line in
                            enumerate(STORY * 3))]
    calls: list[str] = []

    def reread() -> list[str]:
        calls.append("recall")
        return [*notice, *long_story]

    # Recall mode agrees with the second reader: its reading, trimmed by it.
    assert choose_reading(notice, long_story, reread) == long_story
    assert calls == ["recall"]
    # Recall mode is lost too: the second reader's text rather than a notice.
    assert choose_reading(notice, long_story, lambda: notice) == long_story
    # A short reading inside the second one is a stricter cut: kept, no second read.
    assert choose_reading(STORY, long_story, reread) == STORY
    assert calls == ["recall"]
    # Nothing read by trafilatura: the second reader's text.
    assert choose_reading([], STORY, list) == STORY


def test_the_headline_is_left_out_of_the_body() -> None:
    headings = ["Road to be widened", "Road to be widened | The Daily"]
    assert drop_headline(["Road to be widened", *STORY], headings) == STORY
    # Part of the title is dropped only when it is long enough to be the headline.
    assert drop_headline(["The Daily", *STORY], headings) == ["The Daily", *STORY]
    assert drop_headline(STORY, headings) == STORY


@pytest.mark.parametrize("html", [
    "<html><frameset><frame src='a.html'></frameset></html>",
    "<html><head><title>Only a title here</title></head><body></body></html>",
    "<html><body>" + "<div>" * 500 + "deep" + "</div>" * 500 + "</body></html>",
], ids=["frameset", "empty-body", "deep-nesting"])
def test_a_page_without_prose_gives_no_body_and_no_crash(html: str) -> None:
    page = FallbackArticlePage("https://www.thestar.com.my/news/2026/01/02/a-story", html)
    with pytest.raises(PageError) as caught:
        page.to_data()
    assert caught.value.reason in ("no-body", "no-headline")
