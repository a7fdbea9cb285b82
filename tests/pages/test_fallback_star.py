"""The fallback extractor on The Star's own pages: every saved story read as if its layout had
changed keeps its text, lets none of the site's furniture in (the negative boilerplate checks of
``test_fixtures_boilerplate``), and still gets its headline and date."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from lxml import html as lxml_html

from newscrawl.boilerplate import find_boilerplate
from newscrawl.pages import ArticlePage, FallbackArticlePage, document
from newscrawl.pages.css import select
from newscrawl.pages.dates import MYT
from newscrawl.pages.shingles import overlap
from newscrawl.pages.sources import ValueSource

from .fixtures import PAGES_DIR, load_index
from .test_fixtures_boilerplate import INJECTED_NOISE, SITE_FACTS_BOILERPLATE

INDEX = load_index()
# Saved pages that are whole stories: not the bad pages ("error"), the skipped ones (galleries)
# nor long stories, whose page holds only the first part of the body (the rest in readmore/).
STORIES = sorted(name for name in INDEX
                 if not {"error", "skipped"} & json.loads(
                     (PAGES_DIR / f"{name}.json").read_text("utf-8")).keys()
                 and not (PAGES_DIR / "readmore" / f"{name}.html").exists())
# The site parser's body is the truth here; the fallback reads a generic way, so allow a little.
MIN_BODY_F1 = 0.95
# What a layout change could take away besides the body container: every source of the headline
# and the date but the h1 (or the title) and the URL.
METADATA_CSS = (
    'script[type="application/ld+json"], meta[property^="og:"], meta[name^="twitter:"], '
    "meta[itemprop], meta[name=parsely-metadata], meta[property^=article], p.date, time"
)


def _expected(name: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((PAGES_DIR / f"{name}.json").read_text("utf-8"))
    return record


def _fallback(name: str) -> FallbackArticlePage:
    entry = INDEX[name]
    text = document.check((PAGES_DIR / f"{name}.html").read_bytes(), entry.get("content_type"))
    return FallbackArticlePage(entry["url"], text)


@pytest.mark.parametrize("name", STORIES)
def test_fallback_keeps_the_text_and_no_furniture(name: str) -> None:
    expected = _expected(name)
    body = "\n\n".join(_fallback(name).paragraphs())
    _assert_no_furniture(body)
    caption = (expected["image"] or {}).get("caption")
    assert not caption or caption not in body
    assert not expected["tags"] or " , ".join(expected["tags"]) not in body
    assert expected["title"] not in body
    assert overlap(expected["body"], body).f1 >= MIN_BODY_F1


def _assert_no_furniture(body: str) -> None:
    assert [s for s in (*SITE_FACTS_BOILERPLATE, *INJECTED_NOISE) if s in body] == []
    assert find_boilerplate(body) == []


def _changed_layout(name: str, *, keep_h1: bool) -> str:
    """The saved page with its layout changed: containers renamed, metadata gone."""
    entry = INDEX[name]
    text = document.check((PAGES_DIR / f"{name}.html").read_bytes(), entry.get("content_type"))
    doc = lxml_html.document_fromstring(text)
    for el in select(doc, METADATA_CSS + ("" if keep_h1 else ", h1")):
        el.drop_tree()
    for el in select(doc, "[id], [class]"):
        for attr in ("id", "class"):
            if el.get(attr):
                el.set(attr, "x-" + el.get(attr, "").replace(" ", " x-"))
    return lxml_html.tostring(doc, encoding="unicode")


@pytest.mark.parametrize("keep_h1", [True, False], ids=["h1", "title-only"])
@pytest.mark.parametrize("name", STORIES[:3])
def test_a_changed_layout_still_gives_headline_and_date(name: str, keep_h1: bool) -> None:
    expected = _expected(name)
    url = INDEX[name]["url"]
    page = ArticlePage.for_page(url, _changed_layout(name, keep_h1=keep_h1))
    assert isinstance(page, FallbackArticlePage)
    data = page.to_data()
    assert data.extraction == "fallback"
    assert data.title == expected["title"]
    published = datetime.fromisoformat(expected["published_at"])
    # The URL holds the day only: midnight, site time.
    assert data.published_at == datetime(published.year, published.month, published.day,
                                         tzinfo=MYT)
    assert f"/{published:%Y/%m/%d}/" in url
    sources = page.field_sources()
    assert sources["published_at"].kind == "url"
    assert sources["title"] == (ValueSource("markup", "h1") if keep_h1
                                else ValueSource("markup", "head > title"))
    body = "\n\n".join(data.paragraphs)
    # Even with every class renamed, so that none of the furniture is known by its class.
    _assert_no_furniture(body)
    assert overlap(expected["body"], body).f1 >= MIN_BODY_F1


def test_a_url_without_a_day_leaves_the_story_undated() -> None:
    name = STORIES[0]
    page = FallbackArticlePage("https://www.thestar.com.my/aseanplus/aseanplus-news/a-story",
                               _changed_layout(name, keep_h1=True))
    assert page.published_at() is None


# The other template's furniture inside the body (docs: "More of the article template").
INSIDE_BODY = (
    '<div class="embeded-image"><img src="/x.jpg"><div class="inline-caption">'
    "Villagers wait for the ferry at dawn. — Reuters</div></div>"
    '<img class="go-chart" src="/chart.png" alt="Rice exports by month, in tonnes">'
    '<div id="related-stories-div"><a href="/a">Ferry fares to rise in March</a>'
    '<a href="/b">New pier opens in Penang next year</a></div>'
)
RELATED_TAIL = (
    "<p><b>Related stories:</b></p>"
    '<p><a href="/c">Flood waters recede in Kelantan as relief centres close</a></p>'
    '<p><a href="/d">Monsoon rains expected to ease by the weekend, says agency</a></p>'
)
INSIDE_TEXTS = ("Villagers wait", "Rice exports by month", "Ferry fares", "New pier",
                "Related stories", "Flood waters recede", "Monsoon rains expected")


def test_the_other_templates_furniture_stays_out() -> None:
    name = STORIES[0]
    entry = INDEX[name]
    text = document.check((PAGES_DIR / f"{name}.html").read_bytes(), entry.get("content_type"))
    doc = lxml_html.document_fromstring(text)
    container = select(doc, "div#story-body")[0]
    paragraphs = container.findall(".//p")
    paragraphs[1].addnext(lxml_html.fragment_fromstring(INSIDE_BODY, create_parent="div"))
    for el in lxml_html.fragments_fromstring(RELATED_TAIL)[::-1]:
        paragraphs[-1].addnext(el)
    page = FallbackArticlePage(entry["url"], lxml_html.tostring(doc, encoding="unicode"))
    body = "\n\n".join(page.paragraphs())
    assert [t for t in INSIDE_TEXTS if t in body] == []
    assert overlap(_expected(name)["body"], body).f1 >= MIN_BODY_F1


def test_a_wrapper_whose_class_names_furniture_is_kept() -> None:
    # A new layout may wrap the whole page in a class that contains a furniture word.
    name = STORIES[0]
    doc = lxml_html.document_fromstring(_changed_layout(name, keep_h1=True))
    body_el = doc.find("body")
    assert body_el is not None
    wrapper = lxml_html.Element("div", {"class": "page has-whatsapp-share plan-box-host"})
    for child in list(body_el):
        wrapper.append(child)
    body_el.append(wrapper)
    page = FallbackArticlePage(INDEX[name]["url"], lxml_html.tostring(doc, encoding="unicode"))
    body = "\n\n".join(page.paragraphs())
    assert overlap(_expected(name)["body"], body).f1 >= MIN_BODY_F1
