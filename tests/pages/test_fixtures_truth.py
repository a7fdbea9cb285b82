"""The expected records against the replica's data files, so a regen cannot bless a parser bug.

The data files are the truth (``fixtures/site/README.md``). The checks here are written from
that format, not from the parser's rules.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from newscrawl.replica import SiteArticle, load_site

from .fixtures import PAGES_DIR, load_index
from .truth import wrong_fields

INDEX = load_index()
SITE = load_site()
# The reason a bad page gets, by the data file's fault.
FAULT_REASONS = {"empty": "empty", "not-html": "not-html", "no-headline": "no-headline",
                 "broken-markup": "truncated"}


def truth(name: str) -> SiteArticle:
    article = SITE.get(INDEX[name]["path"])
    assert article is not None, f"{name}: no data file serves {INDEX[name]['path']}: re-save"
    return article


def record(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAGES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(INDEX))
def test_expected_record_matches_the_site_data(name: str) -> None:
    article, got, variant = truth(name), record(name), INDEX[name]["variant"]
    if article.fault is not None:
        assert got == {"error": FAULT_REASONS[article.fault]}
    elif article.is_gallery:
        assert got == {"skipped": "gallery"}
    elif variant == "truncate=1":
        assert got == {"error": "truncated"}
    else:
        assert "error" not in got, f"{name}: a good page was rejected: {got}"
        shared = {a.url for a in SITE.in_section_path(article.section_path)
                  if a.section_path != article.section_path}
        assert wrong_fields(got, article, variant, shared) == []


def test_every_data_file_has_a_saved_page() -> None:
    saved = {entry["path"] for entry in INDEX.values()}
    assert {article.path for article in SITE.articles} <= saved, "re-run the fixtures save"


def test_every_long_story_is_saved_with_its_continuation() -> None:
    long_stories = {a.path for a in SITE.articles if a.is_long}
    assert long_stories, "the replica data holds no long story"
    saved = {entry["path"] for entry in INDEX.values()
             if (PAGES_DIR / entry.get("continuation", "-")).is_file()}
    assert long_stories <= saved
