from __future__ import annotations

import pytest

from newscrawl.pages.summary import summary_of

FIRST = "BEIJING: Two senior diplomats from the “US” and China held a phone call on Thursday."
PARAGRAPHS = (FIRST, "The call came during a thaw.")


@pytest.mark.parametrize(
    "description",
    [
        FIRST,
        "BEIJING: Two senior diplomats from the",  # a prefix
        "BEIJING: Two senior diplomats from the...",  # a cut prefix
        'Two senior diplomats from the "US" and China held',  # without dateline, straight quotes
        "  BEIJING:   Two senior diplomats  ",
    ],
)
def test_description_repeating_the_opening_is_no_summary(description: str) -> None:
    assert summary_of(description, PARAGRAPHS) is None


def test_own_description_is_the_summary() -> None:
    own = "Washington and Beijing keep lines open as tariffs fall."
    assert summary_of(own, PARAGRAPHS) == own


@pytest.mark.parametrize("description", [None, "", "   ", "..."])
def test_missing_description_is_no_summary(description: str | None) -> None:
    assert summary_of(description, PARAGRAPHS) is None


def test_second_paragraph_is_not_the_opening() -> None:
    assert summary_of("The call came during a thaw.", PARAGRAPHS) == "The call came during a thaw."
