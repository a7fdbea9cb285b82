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


def test_the_comparable_form_is_the_one_translate_gives() -> None:
    """The quotes are replaced one by one (cheaper): the same text as one translate()."""
    import random

    from newscrawl.pages.summary import _comparable

    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\xa0": " "})
    rng = random.Random(13)
    for _ in range(2000):
        text = "".join(rng.choice("ab “”‘’\xa0\"' \n.É") for _ in range(rng.randrange(30)))
        assert _comparable(text) == " ".join(text.translate(table).split()).casefold()
