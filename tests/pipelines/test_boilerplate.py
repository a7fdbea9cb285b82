from __future__ import annotations

import random

import pytest

from newscrawl.boilerplate import (
    BOILERPLATE_PHRASES,
    NEXT_IN_HEADING,
    OTHERS_ALSO_READ_HEADING,
    PLAN_BOX_LINES,
    SEASONAL_PROMO_LINE,
    WHATSAPP_LINE,
    find_boilerplate,
    is_boilerplate_line,
)
from newscrawl.replica.article_render import PLAN_BOX

FURNITURE = (
    WHATSAPP_LINE,
    NEXT_IN_HEADING,
    OTHERS_ALSO_READ_HEADING,
    SEASONAL_PROMO_LINE,
    *PLAN_BOX_LINES,
)


@pytest.mark.parametrize("line", FURNITURE)
def test_every_known_line_is_boilerplate(line: str) -> None:
    assert is_boilerplate_line(line)
    assert find_boilerplate(f"A story paragraph.\n\n{line}") != []


def test_the_replica_renders_the_same_plan_box() -> None:
    assert tuple(PLAN_BOX) == PLAN_BOX_LINES


@pytest.mark.parametrize(
    "line",
    [
        "Save 35% OFF The Star Digital Access",
        "RM 15.90/month",
        "Billed as RM 10.00 for the 1st month, RM 15.90 thereafter.",
        "Next In Nation",
        "ADVERTISEMENT",
        "Related stories:",
        "Related Stories",
        "Load the full story",
    ],
)
def test_variants_of_the_furniture_are_caught(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Traders said the deal offered the best value for money in years.",
        "Next in line for the post is the deputy minister.",
        "The annual plan was approved by parliament on Monday.",
        "HANOI: Vietnam has raised its rice export target for 2026. - Reuters",
        "“Save 30% of the water,” the minister urged farmers.",
        "Related stories of abuse emerged from two other camps, the report said.",
    ],
)
def test_story_prose_is_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)
    assert find_boilerplate(line) == []


def test_a_phrase_glued_to_story_text_is_found_and_reported_once() -> None:
    body = (
        "The talks ended on Friday. Follow us on our official WhatsApp channel for breaking "
        "news alerts and key updates!\n\nBest Value\n\nBest Value"
    )
    assert find_boilerplate(body) == ["Follow us on our official WhatsApp channel", "Best Value"]


def test_phrases_are_all_distinct_from_prose_words() -> None:
    # A phrase short enough to occur in prose would quarantine real stories.
    assert all(len(phrase.split()) >= 3 for phrase in BOILERPLATE_PHRASES)


def _found_line_by_line(text: str) -> list[str]:
    """``find_boilerplate`` as first written: every phrase, then the line patterns, per line."""
    found: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        hits = [p for p in BOILERPLATE_PHRASES if p in stripped]
        if not hits and is_boilerplate_line(stripped):
            hits = [stripped]
        found.extend(hit for hit in hits if hit not in found)
    return found


def test_furniture_is_found_in_order_once_as_line_by_line() -> None:
    rng = random.Random(5)
    pieces = [*FURNITURE, *BOILERPLATE_PHRASES, "Next In", "for the 1st", "story text.",
              "Best Value", " ", "\n", "\n\n", "\u2028", "Save 5% OFF today", "RM 1/month"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert find_boilerplate(text) == _found_line_by_line(text), repr(text)
