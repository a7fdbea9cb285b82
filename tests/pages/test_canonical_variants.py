"""Spellings of one story URL that differ in case or in percent-escapes are one URL."""

from __future__ import annotations

import pytest

from newscrawl.urls import canonical_url, is_section_article

STORY = "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/12/11/sea-games-divers"


@pytest.mark.parametrize("variant", [
    "https://www.thestar.com.my/Aseanplus/Aseanplus-News/2025/12/11/Sea-Games-Divers",
    "https://www.thestar.com.my/aseanplus/aseanplus%2Dnews/2025/12/11/sea%2dgames%2Ddivers",
    "http://THESTAR.com.my/aseanplus/aseanplus-news/2025/12/11/sea%2Dgames-divers/",
    "https://www.thestar.com.my/%61seanplus/aseanplus-news/2025/12/11/sea-games-divers",
])
def test_a_variant_is_the_story(variant: str) -> None:
    assert canonical_url(variant) == STORY
    assert is_section_article(variant)


def test_escapes_of_reserved_characters_stay_escaped_in_upper_case() -> None:
    assert canonical_url("https://www.thestar.com.my/search/a%2fb") == \
        "https://www.thestar.com.my/search/a%2Fb"


def test_case_of_other_paths_is_kept() -> None:
    assert canonical_url("https://www.thestar.com.my/tag/SEA%20Games") == \
        "https://www.thestar.com.my/tag/SEA%20Games"
