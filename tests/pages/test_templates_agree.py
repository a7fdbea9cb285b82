"""The same story gives the same record in either template of the site.

Every hand-written story of the replica is rendered in both templates (and, when long, with its
continuation) and read by the crawler's page classes; the records must be equal field by field.
Video stories are left out: the replica renders video players in the other template only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from itemadapter import ItemAdapter

from newscrawl.pages import ArticlePage
from newscrawl.records import build_story
from newscrawl.replica import SiteArticle, load_site
from newscrawl.replica.article_render import render_article
from newscrawl.replica.article_render_v2 import render_readmore, render_story_div

SITE = load_site()
CRAWLED_AT = datetime.fromisoformat("2026-01-01T00:00:00+00:00")
STORIES = [a for a in SITE.articles if a.fault is None and not a.is_gallery and not a.video]


def record(article: SiteArticle) -> tuple[str, dict[str, Any]]:
    """The page class that read the page, and the record it gave."""
    if article.template == "story-div":
        html = render_story_div(article, SITE)
        rest = render_readmore(article, SITE) if article.is_long else None
    else:
        html, rest = render_article(article, SITE), None
    page = ArticlePage.for_page(article.url, html)
    data = page.to_data(continuation=rest)
    story = build_story(data, url=article.url, discovered_via="start", referrer=None,
                        crawled_at=CRAWLED_AT)
    return page.LAYOUT, ItemAdapter(story).asdict()


def test_both_templates_and_long_stories_are_among_the_stories() -> None:
    templates = {a.template for a in STORIES}
    assert templates == {"story-page", "story-div"}
    long_ones = [a for a in STORIES if replace(a, template="story-div").is_long]
    assert len(long_ones) >= 3


@pytest.mark.parametrize("article", STORIES, ids=[a.slug[:60] for a in STORIES])
def test_the_same_story_gives_the_same_record_in_both_templates(article: SiteArticle) -> None:
    current_layout, current = record(replace(article, template="story-page"))
    other_layout, other = record(replace(article, template="story-div"))
    assert (current_layout, other_layout) == ("v1", "story-div")
    assert [k for k in current if current[k] != other[k]] == []
    assert other["body"] == "\n\n".join(article.paragraphs)
