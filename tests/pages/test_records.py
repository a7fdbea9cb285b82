from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from itemadapter import ItemAdapter

from newscrawl.items import RECORD_FIELDS
from newscrawl.pages import ArticlePage, ImageRef
from newscrawl.records import build_story, related_urls
from newscrawl.urls import story_id

from .snippets import URL, article_html

CRAWLED = datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))


def record(**changes: object) -> dict[str, object]:
    data = replace(ArticlePage.for_page(URL, article_html()).to_data(), **changes)  # type: ignore[arg-type]
    story = build_story(data, url=URL + "/?utm_source=x#goog_rewarded", discovered_via="listing",
                        referrer="https://www.thestar.com.my/aseanplus/aseanplus-news",
                        crawled_at=CRAWLED, raw_html="<html>")
    return ItemAdapter(story).asdict()


def test_identity_is_the_canonical_url() -> None:
    got = record()
    assert got["url"] == URL
    assert got["id"] == story_id(URL) and len(str(got["id"])) == 16


def test_dates_and_crawl_time_formats() -> None:
    got = record(modified_at=datetime(2025, 5, 23, 3, 5, tzinfo=UTC))
    assert got["published_at"] == "2025-05-23T09:40:00+08:00"
    assert got["modified_at"] == "2025-05-23T11:05:00+08:00"
    assert got["crawled_at"] == "2026-01-01T00:00:00+00:00"


def test_related_canonical_deduplicated_site_articles_only() -> None:
    links = (
        "https://thestar.com.my/aseanplus/aseanplus-news/2025/05/21/b/",
        "http://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/21/b?utm_source=x",
        "https://www.thestar.com.my/aseanplus/aseanplus-news",
        "https://www.thestar.com.my/tag/china",
        "https://example.com/2025/05/21/b",
        "https://www.thestar.com.my/news/nation/2025/05/20/x#goog_rewarded",
    )
    assert related_urls(links, base=URL) == [
        "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/21/b",
        "https://www.thestar.com.my/news/nation/2025/05/20/x",
    ]
    got = record(others_also_read=links)
    assert got["related"] == {
        "next_in": [
            "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/22/first",
            "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/21/second",
        ],
        "others_also_read": related_urls(links, base=URL),
    }


def test_image_word_count_and_context() -> None:
    got = record(image=ImageRef("https://apicms.thestar.com.my/x.jpg", None))
    assert got["image"] == {"url": "https://apicms.thestar.com.my/x.jpg", "caption": None}
    assert got["word_count"] == len(str(got["body"]).split())
    assert (got["discovered_via"], got["extraction"]) == ("listing", "site")
    assert got["raw_html"] == "<html>"
    assert list(got)[: len(RECORD_FIELDS)] == list(RECORD_FIELDS)


def test_missing_section_label_defaults_to_the_section() -> None:
    assert record(section=None)["section"] == "Aseanplus News"
