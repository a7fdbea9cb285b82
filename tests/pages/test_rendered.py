"""Pages saved after their JavaScript ran: "Others Also Read" holds links there."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from newscrawl.pages import ArticlePage
from newscrawl.records import related_urls
from newscrawl.replica import load_site
from newscrawl.urls import canonical_url, is_site_article

from .fixtures import RENDERED_DIR

RENDERED = sorted(p.stem for p in RENDERED_DIR.glob("*.html"))
SITE = {article.slug: article for article in load_site().articles}


def test_rendered_pages_are_saved() -> None:
    assert len(RENDERED) >= 1, "run `python -m tests.pages.fixtures save` with a browser"


@pytest.mark.parametrize("slug", RENDERED)
def test_others_also_read_links_as_written(slug: str) -> None:
    article = SITE[slug]
    html = (RENDERED_DIR / f"{slug}.html").read_text(encoding="utf-8")
    page = ArticlePage.for_page(article.url, html)
    assert page.others_also_read_links() == tuple(
        urljoin(article.url, href) for href in article.others_also_read
    )
    assert len(page.next_in_links()) == 10  # the other block is not mixed in


@pytest.mark.parametrize("slug", RENDERED)
def test_others_also_read_in_the_record(slug: str) -> None:
    article = SITE[slug]
    html = (RENDERED_DIR / f"{slug}.html").read_text(encoding="utf-8")
    data = ArticlePage.for_page(article.url, html).to_data()
    wanted: list[str] = []
    for href in article.others_also_read:
        url = canonical_url(href, article.url)
        if is_site_article(url) and url not in wanted:
            wanted.append(url)
    assert related_urls(data.others_also_read, base=article.url) == wanted
    assert wanted, "pick rendered pages whose related list has site links"
