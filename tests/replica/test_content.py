"""The data files: the project's fixtures load, and each kind of bad file names file and field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from newscrawl.replica import Site, SiteDataError, load_site
from newscrawl.replica.content import ARTICLE_PATH_RE, parse_article
from newscrawl.replica.site import DEFAULT_NOISE

GOOD = """+++
path = "/aseanplus/aseanplus-news/2025/05/23/sample-story"
title = "Sample story"
published = 2025-05-23T09:40:00+08:00
tags = ["A", "B"]
+++
KUALA LUMPUR: First paragraph
spread over two lines.

Second paragraph. - Bernama
"""


def write(root: Path, slug: str, text: str) -> Path:
    (root / "articles").mkdir(parents=True, exist_ok=True)
    path = root / "articles" / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_fixtures_load_and_follow_the_format() -> None:
    site = load_site()
    assert len(site) > 0
    for article in site.articles:
        match = ARTICLE_PATH_RE.match(article.path)
        assert match is not None, article.source
        assert Path(article.source).stem == article.slug
        assert article.published.utcoffset() == timedelta(hours=8)
        assert article.paragraphs or article.fault or article.photos


def test_a_good_file_gets_its_defaults(tmp_path: Path) -> None:
    write(tmp_path, "sample-story", GOOD)
    (article,) = load_site(tmp_path).articles
    assert article.paragraphs == ("KUALA LUMPUR: First paragraph spread over two lines.",
                                  "Second paragraph. - Bernama")
    assert article.section == "Aseanplus News"
    assert article.noise == DEFAULT_NOISE
    assert (article.listed, article.premium, article.jsonld) == (True, False, False)
    assert article.authors == () and article.modified is None and article.fault is None
    assert article.summary == article.paragraphs[0]


def test_the_section_label_comes_from_the_path() -> None:
    text = GOOD.replace("/aseanplus/aseanplus-news/", "/news/nation/")
    assert parse_article(text).section == "Nation"
    assert not parse_article(text).in_section
    column = GOOD.replace("/aseanplus/aseanplus-news/", "/opinion/columnists/the-asean-lens/")
    assert parse_article(column).section_path == "/opinion/columnists/the-asean-lens"


@pytest.mark.parametrize(("old", "new", "field"), [
    ('title = "Sample story"\n', "", "title"),
    ('"/aseanplus/aseanplus-news/2025/05/23/sample-story"', '"/aseanplus/x.html"', "path"),
    ("2025/05/23/sample-story", "2025/05/23/other-slug", "path"),
    ("published = 2025-05-23T09:40:00+08:00", "published = 2025-05-24T09:40:00+08:00",
     "published"),
    ("published = 2025-05-23T09:40:00+08:00", "published = 2025-05-23T09:40:00", "published"),
    ("published = 2025-05-23T09:40:00+08:00", 'published = "yesterday"', "published"),
    ('tags = ["A", "B"]', 'tags = "A, B"', "tags"),
    ('tags = ["A", "B"]', "premium = 1", "premium"),
    ('tags = ["A", "B"]', 'fault = "slow"', "fault"),
    ('tags = ["A", "B"]', 'noise = ["banner"]', "noise"),
    ('tags = ["A", "B"]', 'image = { id = "bad id!" }', "image"),
    ('tags = ["A", "B"]', 'tagz = ["A"]', "tagz"),
    ('tags = ["A", "B"]', "modified = 2025-05-22T09:40:00+08:00", "modified"),
])
def test_a_bad_field_is_named_with_its_file(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in GOOD
    path = write(tmp_path, "sample-story", GOOD.replace(old, new))
    with pytest.raises(SiteDataError) as caught:
        load_site(tmp_path)
    assert str(path) in str(caught.value)
    assert f"field '{field}'" in str(caught.value)


@pytest.mark.parametrize("text", [
    GOOD.replace("+++\npath", "path", 1),
    GOOD.replace("+++\nKUALA", "KUALA", 1),
    GOOD.replace('title = "Sample story"', "title = Sample story"),
    GOOD.split("+++\nKUALA")[0] + "+++\n\n",
])
def test_a_broken_file_is_a_clear_error(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "sample-story", text)
    with pytest.raises(SiteDataError, match=str(path)):
        load_site(tmp_path)


def test_a_premium_text_holds_only_the_free_paragraphs(tmp_path: Path) -> None:
    text = GOOD.replace('tags = ["A", "B"]', "premium = true")
    assert parse_article(text).premium
    path = write(tmp_path, "sample-story", text + "\nThird.\n\nFourth.\n")
    with pytest.raises(SiteDataError, match=f"{path}: field 'premium'"):
        load_site(tmp_path)


def test_two_files_with_one_path_are_an_error() -> None:
    first, second = parse_article(GOOD, source="a.md"), parse_article(GOOD, source="b.md")
    with pytest.raises(SiteDataError, match=r"b\.md: field 'path'.*a\.md"):
        Site((first, second))


def test_a_missing_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SiteDataError, match="no replica data"):
        load_site(tmp_path / "nowhere")
