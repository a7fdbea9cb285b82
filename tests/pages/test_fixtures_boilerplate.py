"""No furniture of the page ever reaches ``body``, on any saved page."""

from __future__ import annotations

import pytest
from lxml.html import document_fromstring

from newscrawl.boilerplate import find_boilerplate

from .fixtures import ROOT, derive, load_index

INDEX = load_index()
# Verbatim from docs/site-facts.md: the lines the site prints around the story.
SITE_FACTS_BOILERPLATE = (
    "Follow us on our official WhatsApp channel for breaking news alerts and key updates!",
    "China , US , talks , trade , Landau , Ma Zhaoxu",
    "Next In Aseanplus News",
    "Others Also Read",
    "PREMIUM",
    "Save 30% OFF The Star Digital Access",
    "Monthly Plan",
    "RM 13.90/month",
    "RM 9.73/month",
    "Billed as RM 9.73 for the 1st month, RM 13.90 thereafter.",
    "Best Value",
    "Annual Plan",
    "RM 12.33/month",
    "RM 8.63/month",
    "Billed as RM 103.60 for the 1st year, RM 148 thereafter.",
    "The Star Christmas Special Promo: Save 35% OFF Yearly. T&C applies.",
    "- Photo: The Nation/ANN",
    "-AFP filepic",
    "— IZZRAFIQ ALIAS/The Star",
    "Related stories:",
)
# What the replica puts inside the body container besides the paragraphs.
INJECTED_NOISE = (
    "File pic shows the scene.", "window.dataLayer", "googletag", "ADVERTISEMENT",
    "Please enable JavaScript", "flourish", "chart: figures by country", " , ",
    # The other template's: inline image captions, the chart line, the related-stories box
    # and list, the load link of a long story.
    "Chart: figures by country", "Related Stories", "Load the full story", "loadFullStory",
)


def test_the_list_is_the_one_in_site_facts() -> None:
    facts = (ROOT / "docs" / "site-facts.md").read_text(encoding="utf-8")
    assert [s for s in SITE_FACTS_BOILERPLATE if s not in facts] == []


@pytest.mark.parametrize("name", sorted(INDEX))
def test_no_boilerplate_in_body(name: str) -> None:
    record = derive(name, INDEX[name])
    if "error" in record or "skipped" in record:
        return
    body: str = record["body"]
    assert [s for s in (*SITE_FACTS_BOILERPLATE, *INJECTED_NOISE) if s in body] == []
    assert find_boilerplate(body) == []
    caption = (record["image"] or {}).get("caption")
    assert not caption or caption not in body
    tags = record["tags"]
    assert not tags or " , ".join(tags) not in body
    linked = [title for title in _related_titles(name) if title in body]
    assert linked == []


def _related_titles(name: str) -> list[str]:
    """Titles of the stories the page's in-body related box and list link to."""
    pages = ROOT / "fixtures" / "pages"
    html = (pages / f"{name}.html").read_text(encoding="utf-8", errors="replace")
    rest = INDEX[name].get("continuation")
    if rest:  # a long story's related list sits in its continuation
        html += (pages / rest).read_text(encoding="utf-8")
    if not html.strip():
        return []
    doc = document_fromstring(html)
    boxes = doc.cssselect("#related-stories-div a")
    after = doc.xpath("//p[b[starts-with(normalize-space(.), 'Related stories')]]"
                      "/following-sibling::p/a")
    return [a.text_content().strip() for a in [*boxes, *after] if a.text_content().strip()]


def test_boilerplate_check_can_fail() -> None:
    # The check above would see furniture if the parser let it through.
    leaked = "BEIJING: Talks held.\n\nMonthly Plan\n\nNext In Aseanplus News"
    assert find_boilerplate(leaked)
    assert [s for s in SITE_FACTS_BOILERPLATE if s in leaked] == ["Next In Aseanplus News",
                                                                   "Monthly Plan"]

