"""Rules of ArticlePage on hand-written pages: one behaviour per test."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from newscrawl.pages import ArticlePage, FallbackArticlePage, LegacyArticlePage, PageError
from newscrawl.pages.dates import MYT

from .snippets import HEAD, HEADER, PARAGRAPHS, URL, article_html, body_div


def read(html: str) -> ArticlePage:
    return ArticlePage.for_page(URL, html)


def test_plain_page_values() -> None:
    data = read(article_html()).to_data()
    assert data.title == "Senior diplomats hold call"
    assert data.paragraphs == PARAGRAPHS
    assert data.authors == ("Ann Lee", "Bo Tan")
    assert data.section == "Aseanplus News"
    assert data.tags == ("China", "US")
    assert data.dateline == "BEIJING"
    assert data.agency == "AFP"
    assert data.published_at == datetime(2025, 5, 23, 9, 40, tzinfo=MYT)
    assert data.modified_at is None
    assert data.premium is False
    assert (data.extraction, data.layout) == ("site", "v1")


@pytest.mark.parametrize(
    ("noise", "leaked"),
    [
        ('<p class="caption">The minister at the talks. — Reuters</p>', "The minister"),
        ('<div class="flourish-embed"><p>chart: figures by country</p></div>', "chart"),
        ('<div id="div-gpt-ad-1" class="ad-slot"><p>ADVERTISEMENT</p></div>', "ADVERTISEMENT"),
        ("<p>Follow us on our official WhatsApp channel for breaking news alerts and key "
         "updates!</p>", "WhatsApp"),
        ("<figure><img src='x.jpg'><figcaption>A crowd. -AFP filepic</figcaption></figure>",
         "filepic"),
        ("<p>&nbsp;</p>", "\xa0"),
    ],
)
def test_noise_inside_the_body_is_left_out(noise: str, leaked: str) -> None:
    data = read(article_html(body=body_div(extra=noise))).to_data()
    assert data.paragraphs == PARAGRAPHS
    assert leaked not in data.body


@pytest.mark.parametrize(
    "inline",
    [
        "<script>window.dataLayer.push({event: 'x'});</script>",
        "<noscript>Please enable JavaScript to view this content.</noscript>",
        '<span class="inline-caption"> File pic shows the scene. — Reuters</span>',
    ],
)
def test_noise_inside_a_paragraph_is_left_out(inline: str) -> None:
    paragraphs = (PARAGRAPHS[0] + inline, *PARAGRAPHS[1:])
    data = read(article_html(body=body_div(paragraphs))).to_data()
    assert data.paragraphs == PARAGRAPHS


def test_markup_inside_a_paragraph_keeps_its_text() -> None:
    paragraphs = ('BEIJING: Two <a href="/tag/x">senior</a> <em>diplomats</em> met.',)
    data = read(article_html(body=body_div(paragraphs))).to_data()
    assert data.paragraphs == ("BEIJING: Two senior diplomats met.",)


PLAN_BOX = (
    '<div class="plan-box"><div>Save 30% OFF The Star Digital Access</div><div>Monthly Plan</div>'
    "<div>RM 13.90/month</div><div>Best Value</div></div>"
)


def test_premium_badge_keeps_partial_body_without_plan_box() -> None:
    header = HEADER + '<span class="badge-premium">PREMIUM</span>'
    data = read(article_html(header=header, after=PLAN_BOX)).to_data()
    assert data.premium is True
    assert data.paragraphs == PARAGRAPHS


def test_plan_box_lines_inside_the_body_mark_premium_and_are_dropped() -> None:
    lines = ("Save 30% OFF The Star Digital Access", "Monthly Plan", "RM 9.73/month",
             "Billed as RM 9.73 for the 1st month, RM 13.90 thereafter.", "Best Value")
    data = read(article_html(body=body_div((*PARAGRAPHS, *lines)))).to_data()
    assert data.premium is True
    assert data.paragraphs == PARAGRAPHS


def test_jsonld_not_free_is_premium() -> None:
    jsonld = {"@type": "NewsArticle", "headline": "H", "isAccessibleForFree": False}
    head = HEAD + f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    assert read(article_html(head=head)).to_data().premium is True


def test_jsonld_wins_over_meta_and_markup() -> None:
    jsonld = {
        "@type": "NewsArticle", "headline": "The JSON-LD headline",
        "datePublished": "2025-05-23T10:00:00+08:00", "dateModified": "2025-05-23T11:05:00+08:00",
        "description": "A description of its own.",
        "author": [{"@type": "Person", "name": "Not Shown"}],
    }
    head = HEAD + f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    data = read(article_html(head=head)).to_data()
    assert data.title == "The JSON-LD headline"
    assert data.published_at == datetime(2025, 5, 23, 10, 0, tzinfo=MYT)
    assert data.modified_at == datetime(2025, 5, 23, 11, 5, tzinfo=MYT)
    assert data.summary == "A description of its own."
    assert data.authors == ("Ann Lee", "Bo Tan")  # byline links first; JSON-LD is the fallback


def test_jsonld_modified_equal_to_published_means_never_modified() -> None:
    jsonld = {"@type": "NewsArticle", "headline": "H", "datePublished": "2025-05-23T10:00:00+08:00",
              "dateModified": "2025-05-23T10:00:00+08:00"}
    head = HEAD + f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    assert read(article_html(head=head)).to_data().modified_at is None


def test_broken_jsonld_falls_back_to_meta() -> None:
    head = HEAD + '<script type="application/ld+json">{"headline": "cut</script>'
    data = read(article_html(head=head)).to_data()
    assert data.title == "Senior diplomats hold call"


def test_jsonld_author_when_no_byline() -> None:
    jsonld = {"@type": "NewsArticle", "author": [{"name": "Wire Desk"}, {"name": "Bo Tan"}]}
    head = HEAD + f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    header = HEADER.replace("credit__authors", "credit-none")
    assert read(article_html(head=head, header=header)).to_data().authors == ("Wire Desk", "Bo Tan")


def test_no_byline_no_authors() -> None:
    header = HEADER.replace("credit__authors", "credit-none")
    assert read(article_html(header=header)).to_data().authors == ()


def test_visible_date_when_no_machine_date() -> None:
    head = HEAD.replace("datePublished", "nothing")
    header = HEADER.replace("Friday, 23 May 2025", "Saturday, 12 Oct 2024").replace(
        "9:40 AM MYT", "5:00 PM MYT")
    data = read(article_html(head=head, header=header)).to_data()
    assert data.published_at == datetime(2024, 10, 12, 17, 0, tzinfo=MYT)


def test_no_date_anywhere_is_an_error() -> None:
    head = HEAD.replace("datePublished", "nothing")
    header = HEADER.replace('class="date"', 'class="nodate"')
    with pytest.raises(PageError) as caught:
        read(article_html(head=head, header=header)).to_data()
    assert caught.value.reason == "no-date"


def test_og_title_suffix_is_stripped_when_no_h1() -> None:
    header = HEADER.replace("<h1>Senior diplomats hold call</h1>", "")
    head = HEAD.replace("hold call | The Star", "hold call - The Star Online")
    assert read(article_html(head=head, header=header)).title() == "Senior diplomats hold call"


def test_story_image_with_caption_else_og_image() -> None:
    image = ('<div class="story-image"><img src="https://apicms.thestar.com.my/uploads/images/'
             '2025/05/23/1.jpg"><div class="caption-text"><p>A caption. - Reuters</p></div></div>')
    page = read(article_html(header=HEADER + image))
    found = page.image()
    assert found is not None
    assert (found.url, found.caption) == (
        "https://apicms.thestar.com.my/uploads/images/2025/05/23/1.jpg", "A caption. - Reuters")
    head = HEAD + '<meta property="og:image" content="https://apicms.thestar.com.my/x/2.jpg">'
    fallback = read(article_html(head=head)).image()
    assert fallback is not None
    assert (fallback.url, fallback.caption) == ("https://apicms.thestar.com.my/x/2.jpg", None)
    assert read(article_html()).image() is None


def test_tags_from_keywords_when_no_tag_links() -> None:
    head = HEAD + '<meta name="keywords" content="China, US, talks">'
    assert read(article_html(head=head, after="")).tags() == ("China", "US", "talks")


def test_section_label_is_stripped_kicker() -> None:
    assert read(article_html()).section_label() == "Aseanplus News"


def test_current_layout_is_picked_by_marker() -> None:
    page = read(article_html())
    assert type(page) is ArticlePage and page.LAYOUT == "v1"


LEGACY_HEADER = """<div class="articleDetails"><div class="headline"><h1>Old story</h1></div>
<p class="byline">By <a href="/authors?q=Old">Old Writer</a></p>
<p class="date">Tuesday, 05 Mar 2013</p><time class="timestamp">8:00 AM MYT</time></div>"""


def test_legacy_layout_is_picked_by_its_marker() -> None:
    body = body_div(open_tag='<div class="story">')
    head = "<title>Old story | The Star Online</title>"
    page = read(article_html(head=head, header=LEGACY_HEADER, body=body))
    assert isinstance(page, LegacyArticlePage)
    data = page.to_data()
    assert (data.title, data.authors, data.layout) == ("Old story", ("Old Writer",), "legacy")
    assert data.published_at == datetime(2013, 3, 5, 8, 0, tzinfo=MYT)
    assert data.paragraphs == PARAGRAPHS


def test_unknown_body_container_uses_the_fallback_extractor() -> None:
    body = body_div(open_tag='<div id="storyContent" class="article-content story-v2">')
    page = read(article_html(body=body))
    assert isinstance(page, FallbackArticlePage)
    data = page.to_data()
    assert (data.extraction, data.layout) == ("fallback", "fallback")
    assert data.paragraphs == PARAGRAPHS
    assert data.title == "Senior diplomats hold call"
    assert data.authors == ("Ann Lee", "Bo Tan")


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"", "text/html", "empty"),
        (b"   \n ", "text/html", "empty"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", "application/pdf", "not-html"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", "text/html", "not-html"),
        (b'{"items": []}', "application/json", "not-html"),
        (b"just some words, no markup", None, "not-html"),
        (article_html().encode()[: len(article_html()) // 2], "text/html", "truncated"),
        (article_html().encode()[:-40] + b"<p cla", "text/html", "truncated"),
    ],
)
def test_bad_pages_raise_with_reason(body: bytes, content_type: str | None, reason: str) -> None:
    with pytest.raises(PageError) as caught:
        ArticlePage.for_page(URL, body, content_type)
    assert caught.value.reason == reason


def test_no_headline_is_an_error() -> None:
    header = HEADER.replace("<h1>Senior diplomats hold call</h1>", "")
    head = "<title>The Star</title>"
    with pytest.raises(PageError) as caught:
        read(article_html(head=head, header=header))
    assert caught.value.reason == "no-headline"


def test_empty_body_container_is_an_error() -> None:
    page = read(article_html(body=body_div(paragraphs=())))
    with pytest.raises(PageError) as caught:
        page.to_data()
    assert caught.value.reason == "no-body"


def test_bytes_are_decoded_by_declared_charset() -> None:
    html = article_html(body=body_div(("KUALA LUMPUR: Café “owners” said so. - Bernama",)))
    latin = html.replace("“", '"').replace("”", '"').replace('charset="utf-8"', 'charset="latin-1"')
    page = ArticlePage.for_page(URL, latin.encode("latin-1"), "text/html; charset=ISO-8859-1")
    assert page.to_data().paragraphs == ('KUALA LUMPUR: Café "owners" said so. - Bernama',)


def test_fallback_keeps_a_paragraph_that_links_a_tag() -> None:
    paragraphs = ('BEIJING: Two <a href="/tag/diplomats">diplomats</a> met.', *PARAGRAPHS[1:])
    body = body_div(paragraphs, open_tag='<div class="story-v2">')
    data = read(article_html(body=body)).to_data()
    assert data.extraction == "fallback"
    assert data.paragraphs == ("BEIJING: Two diplomats met.", *PARAGRAPHS[1:])
