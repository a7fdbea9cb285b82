"""A story page read whole for a reading process (``newscrawl.reading.story_read``) answers the
glue as the page classes answer it in the crawl's process: on every saved page, after a pickle
round trip (what the pool sends back), value for value and error for error at the same step."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from newscrawl.others.page_values import read_page_values
from newscrawl.pages import ArticlePage, NotAStoryError, PageError
from newscrawl.reading.story_read import (
    ReaderError,
    ReadFailure,
    StoryPage,
    StoryRead,
    ValuesWanted,
    read_story,
)
from tests.pages.fixtures import PAGES_DIR, load_index

SERVED_AT = "http://127.0.0.1:8000/page"


def answers(open_page: Any) -> list[tuple[str, Any]]:
    """The glue's questions in its order, each answer or the error it raised; the first error
    ends the reading, as it ends the glue's."""
    got: list[tuple[str, Any]] = []
    try:
        page: StoryPage = open_page()
        got.append(("base", (page.has_foreign_base(), page.base_url)))
        got.append(("label", page.section_label()))
        rest = page.continuation_url()
        got.append(("continuation", rest))
        if rest is not None:
            got.append(("html", page.html))
        else:
            got.append(("data", page.to_data()))
    except (PageError, NotAStoryError) as error:
        got.append(("error", (type(error).__name__, str(error),
                              getattr(error, "reason", getattr(error, "kind", None)))))
    return got


@pytest.mark.parametrize("name", sorted(load_index()))
def test_a_page_read_elsewhere_answers_as_read_here(name: str) -> None:
    entry = load_index()[name]
    body = (PAGES_DIR / f"{name}.html").read_bytes()
    content_type = entry.get("content_type")
    here = answers(lambda: ArticlePage.for_page(entry["url"], body, content_type))
    read = pickle.loads(pickle.dumps(read_story(entry["url"], SERVED_AT, body, content_type)))
    assert isinstance(read, StoryRead)
    assert answers(read.page) == here
    assert read.values is None  # none asked for


def test_the_values_asked_for_come_with_a_whole_story() -> None:
    name = next(n for n, e in sorted(load_index().items())
                if e.get("variant") == "as-served" and not n.startswith("bad-page"))
    entry = load_index()[name]
    html = (PAGES_DIR / f"{name}.html").read_text(encoding="utf-8")
    for locators in (None, frozenset({"meta:parsely-metadata/guid", "page:path"})):
        wanted = ValuesWanted(locators)
        read = pickle.loads(pickle.dumps(
            read_story(entry["url"], SERVED_AT, html, entry.get("content_type"), wanted)))
        assert read.values is not None and read.values.wanted == wanted
        assert read.values.values == read_page_values(SERVED_AT, html, wanted=locators)
        assert read.values.values.values["page:url"] == SERVED_AT


def test_an_error_is_raised_at_the_step_that_raised_it() -> None:
    read = StoryRead("u", failed_at="data", failure=ReadFailure("page", "no-body", "layout v1"),
                     label="ASEANPlus")
    assert read.page() is read and read.section_label() == "ASEANPlus"
    assert read.continuation_url() is None
    with pytest.raises(PageError) as raised:
        read.to_data()
    assert (raised.value.reason, raised.value.detail) == ("no-body", "layout v1")


def test_a_parser_bug_carries_its_traceback_from_the_reading_process() -> None:
    try:
        {}["missing"]  # a bug of the page classes stands for any
    except KeyError as error:
        failure = ReadFailure.of(error)
    assert failure.kind == "parser" and "KeyError" in failure.detail
    raised = pickle.loads(pickle.dumps(failure)).error()
    assert isinstance(raised, ReaderError) and "missing" in str(raised)
    assert not isinstance(raised, PageError)  # quarantined as parser-error, not a bad page
