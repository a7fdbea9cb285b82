"""The expected records against the replica's data files, so a regen cannot bless a parser bug.

The data files are the truth (``fixtures/site/README.md``). The checks here are written from
that format, not from the parser's rules.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from newscrawl.replica import SiteArticle, load_site
from newscrawl.urls import SITE_ORIGIN, is_site_article

from .fixtures import PAGES_DIR, load_index

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


def wrong_fields(got: dict[str, Any], article: SiteArticle, variant: str) -> list[str]:
    body = "\n\n".join(article.paragraphs)
    description = article.description
    own_summary = description if description and not article.paragraphs[0].startswith(
        description) else None
    image = {"url": article.image.url, "caption": article.image.caption} if article.image else None
    want = {
        "id": hashlib.sha256(article.url.encode()).hexdigest()[:16],
        "url": article.url,
        "title": article.title,
        "summary": own_summary,
        "body": body,
        "published_at": article.published.isoformat(),
        "modified_at": article.modified.isoformat() if article.modified else None,
        "authors": list(article.authors),
        "section": article.section,
        "tags": list(article.tags),
        "image": image,
        "premium": article.premium,
        "word_count": len(body.split()),
        "extraction": "fallback" if variant == "layout=1" else "site",
    }
    wrong = [f"{k}: {got.get(k)!r} != {v!r}" for k, v in want.items() if got.get(k) != v]
    first, last = article.paragraphs[0], article.paragraphs[-1]
    if got["dateline"] is not None and not first.startswith(got["dateline"]):
        wrong.append(f"dateline {got['dateline']!r} does not open the first paragraph")
    if got["agency"] is not None and not last.endswith(got["agency"]):
        wrong.append(f"agency {got['agency']!r} does not end the last paragraph")
    next_in = got["related"]["next_in"]
    if (len(next_in) > 10 or len(set(next_in)) != len(next_in) or article.url in next_in
            or not all(_same_section(url, article) for url in next_in)):
        wrong.append(f"related.next_in is not up to 10 other stories of the section: {next_in}")
    if got["related"]["others_also_read"]:
        wrong.append("related.others_also_read filled on a page as served (it needs JavaScript)")
    return wrong


@pytest.mark.parametrize("name", sorted(INDEX))
def test_expected_record_matches_the_site_data(name: str) -> None:
    article, got, variant = truth(name), record(name), INDEX[name]["variant"]
    if article.fault is not None:
        assert got == {"error": FAULT_REASONS[article.fault]}
    elif variant == "truncate=1":
        assert got == {"error": "truncated"}
    else:
        assert "error" not in got, f"{name}: a good page was rejected: {got}"
        assert wrong_fields(got, article, variant) == []


def test_every_data_file_has_a_saved_page() -> None:
    saved = {entry["path"] for entry in INDEX.values()}
    assert {article.path for article in SITE.articles} <= saved, "re-run the fixtures save"


def _same_section(url: str, article: SiteArticle) -> bool:
    return is_site_article(url) and url.startswith(f"{SITE_ORIGIN}{article.section_path}/")
