"""Where a page class says each value came from (``newscrawl parse`` shows it): one rule per
test, on hand-written pages, and the value itself unchanged by knowing its source."""

from __future__ import annotations

import json

from newscrawl.pages import ArticlePage
from newscrawl.pages.sources import ValueSource

from .snippets import HEAD, HEADER, URL, article_html, body_div

JSONLD = {"@type": "NewsArticle", "headline": "From JSON-LD", "datePublished":
          "2025-05-23T09:40:00+08:00", "author": [{"name": "Cy Wu"}],
          "keywords": "Trade, China", "isAccessibleForFree": False,
          "description": "A summary of its own."}


def sources(html: str) -> dict[str, ValueSource]:
    return ArticlePage.for_page(URL, html).field_sources()


def jsonld_head(data: dict[str, object]) -> str:
    return HEAD + f'\n<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_plain_page_reads_its_values_from_meta_and_markup() -> None:
    found = sources(article_html())
    assert found["title"] == ValueSource("meta", "og:title")
    assert found["published_at"] == ValueSource("meta", "datepublished")
    assert found["body"] == ValueSource("markup", "div#story-body")
    assert found["authors"] == ValueSource("markup", "div.credit__authors > a")
    assert found["section"] == ValueSource("markup", 'a.kicker[data-list-type="Article"]')
    assert found["tags"] == ValueSource("markup", 'a[href*="/tag/"]')
    assert found["agency"] == ValueSource("body-text", "last paragraph")
    assert found["dateline"] == ValueSource("body-text", "first paragraph")
    assert found["premium"] == ValueSource("default", "no paywall sign")
    assert found["url"].kind == found["id"].kind == "url"
    assert found["related.next_in"] == ValueSource("markup",
                                                   "links after the heading 'Next In'")
    assert found["related.others_also_read"] == ValueSource("none")
    assert found["image"] == ValueSource("none")


def test_json_ld_wins_where_the_page_has_it() -> None:
    page = ArticlePage.for_page(URL, article_html(head=jsonld_head(JSONLD), header="",
                                                  after=""))
    found = page.field_sources()
    assert page.title() == "From JSON-LD"
    assert found["title"] == ValueSource("json-ld", "headline")
    assert found["published_at"] == ValueSource("json-ld", "datePublished")
    assert found["authors"] == ValueSource("json-ld", "author")
    assert found["tags"] == ValueSource("json-ld", "keywords")
    assert found["premium"] == ValueSource("json-ld", "isAccessibleForFree")
    assert found["summary"] == ValueSource("json-ld", "description")
    assert found["section"] == ValueSource("default", "the section the crawl reads")


def test_the_h1_and_the_visible_date_when_nothing_else_says() -> None:
    page = ArticlePage.for_page(URL, article_html(head="<title>x</title>"))
    found = page.field_sources()
    assert found["title"] == ValueSource("markup", "div.headline.story-pg h1")
    assert found["published_at"] == ValueSource("markup", "p.date, time.timestamp")
    assert page.title() == "Senior diplomats hold call"


def test_a_modified_time_equal_to_publication_is_no_edit() -> None:
    head = HEAD + '\n<meta property="article:modified_time" content="2025-05-23T09:40:00+08:00">'
    page = ArticlePage.for_page(URL, article_html(head=head))
    assert page.modified_at() is None
    assert page.field_sources()["modified_at"] == ValueSource(
        "meta", "article:modified_time = published")


def test_an_unknown_layout_names_the_extractor() -> None:
    body = body_div(open_tag='<div class="article-content-v9">')
    page = ArticlePage.for_page(URL, article_html(header=HEADER, body=body))
    assert page.field_sources()["body"] == ValueSource("extractor", "trafilatura")
    assert page.field_sources()["extraction"] == ValueSource("default", "layout fallback")
