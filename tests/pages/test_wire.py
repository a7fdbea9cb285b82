from __future__ import annotations

import pytest

from newscrawl.pages.wire import find_agency, find_dateline, strip_dateline


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("BEIJING: Two senior diplomats held a call.", "BEIJING"),
        ("KUALA LUMPUR: The ringgit rose.", "KUALA LUMPUR"),
        ("BANDAR SERI BEGAWAN: Brunei launched it.", "BANDAR SERI BEGAWAN"),
        ("MARANG (THE STAR/ASIA NEWS NETWORK) - Green turtles returned.", "MARANG"),
        ("HANOI (Reuters) - Vietnam raised its target.", "HANOI"),
        ("KUALA LUMPUR, May 22 (Bernama) -- The ringgit rose.", "KUALA LUMPUR"),
        ("Every year between June and October, haze returns.", None),
        ("US-China talks resumed on Friday.", None),
        ("COVID-19: cases rose.", None),
        ("", None),
    ],
)
def test_dateline(first: str, expected: str | None) -> None:
    assert find_dateline(first) == expected


def test_strip_dateline_keeps_the_sentence() -> None:
    assert strip_dateline("BEIJING: Two diplomats met.") == "Two diplomats met."
    assert strip_dateline("Two diplomats met.") == "Two diplomats met."


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ("The two sides slashed tariffs. - AFP", "AFP"),
        ("Prices rose 2 per cent. - Reuters", "Reuters"),
        ("The talks continue. - Bernama", "Bernama"),
        ("It will open next year. - The Straits Times/ANN", "The Straits Times/ANN"),
        ("It will open next year. - The Jakarta Post/ANN", "The Jakarta Post/ANN"),
        ("Officials said so. - Xinhua", "Xinhua"),
        ("Officials said so. - dpa", "dpa"),
        ("“We are ready,” he said.– Reuters", "Reuters"),
        ("Fares are unchanged at the terminal gates.", None),
        ("The Kuala Lumpur-Singapore line is well-known.", None),
        ("He called it a gamble - and it paid off.", None),
        ("", None),
    ],
)
def test_agency(last: str, expected: str | None) -> None:
    assert find_agency(last) == expected
