"""The other article template and the facts it brought: JSON-LD in ``data-type``, creators,
section sources, premium signals, long stories' continuations, in-body furniture, video stories
and galleries. Rules tested on small pages; whole replica pages are in test_templates_agree."""

from __future__ import annotations

import json

import pytest

from newscrawl.pages import ArticlePage, NotAStoryError, PageError, StoryDivArticlePage
from newscrawl.pages.continuation import BODY_INCOMPLETE

from .snippets import HEAD, HEADER, PARAGRAPHS, URL, article_html, body_div

STORY_DIV_OPEN = '<div class="story" id="ContentPlaceHolder1_storyDiv">'
LOAD_LINK = ('<p class="read-full"><a href="javascript:void(0)" '
             "onclick=\"loadFullStory('654321')\">Load the full story</a></p>")
REST = "<p>The fourth paragraph.</p>\n<p>The fifth one ends the story. - Reuters</p>"


def parsely(**values: object) -> str:
    content = json.dumps(values).replace('"', "&quot;")
    return f'<meta name="parsely-metadata" content="{content}">'


def jsonld_data_type(**values: object) -> str:
    return f'<script data-type="application/ld+json">{json.dumps(values)}</script>'


def story_div_page(*, head: str = "", extra: str = "", after: str = "",
                   paragraphs: tuple[str, ...] = PARAGRAPHS, main: str = "") -> str:
    """A page in the other template: no kicker, no byline, no itemprop date."""
    head = head or (
        "<title>Senior diplomats hold call | The Star</title>\n"
        + jsonld_data_type(**{"@type": "NewsArticle", "headline": "Senior diplomats hold call",
                              "creator": ["Ann Lee", "The Star Online"],
                              "dateCreated": "2025-05-23T09:40:00+08:00"})
        + parsely(guid="654321", section="Aseanplus News", is_premium="0"))
    story = body_div(paragraphs, extra, open_tag=STORY_DIV_OPEN)
    return (f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body><main class=\"content-wrap\">"
            f"<h1 class=\"headline\">Senior diplomats hold call</h1>\n{main}{story}\n{after}"
            "</main></body></html>\n")


def test_the_marker_picks_the_story_div_class_and_reads_json_ld_from_data_type() -> None:
    page = ArticlePage.for_page(URL, story_div_page())
    assert isinstance(page, StoryDivArticlePage)
    data = page.to_data()
    assert data.title == "Senior diplomats hold call"
    assert data.published_at.isoformat() == "2025-05-23T09:40:00+08:00"
    assert data.paragraphs == PARAGRAPHS


def test_the_site_among_the_creators_is_no_author() -> None:
    assert ArticlePage.for_page(URL, story_div_page()).authors() == ("Ann Lee",)
    head = jsonld_data_type(**{"@type": "NewsArticle", "headline": "H",
                               "dateCreated": "2025-05-23T09:40:00+08:00",
                               "creator": [{"@type": "Organization", "name": "Star Media"},
                                           {"@type": "Person", "name": "Bo Tan"}]})
    assert ArticlePage.for_page(URL, story_div_page(head=head)).authors() == ("Bo Tan",)
    only_site = jsonld_data_type(**{"@type": "NewsArticle", "headline": "H",
                                    "creator": ["The Star Online"]})
    assert ArticlePage.for_page(URL, story_div_page(head=only_site)).authors() == ()


@pytest.mark.parametrize(("head", "header", "url", "label"), [
    (HEAD, HEADER, URL, "Aseanplus News"),  # the kicker
    (HEAD + parsely(section="World"), "<h1>H</h1>", URL, "World"),  # parse.ly
    (HEAD + '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", '
     '"articleSection": "Nation"}</script>', "<h1>H</h1>", URL, "Nation"),  # JSON-LD
    (HEAD, "<h1>H</h1>", URL, "Aseanplus News"),  # nothing but the URL
    (HEAD, "<h1>H</h1>", "https://www.thestar.com.my/news/nation/2025/05/23/x", "Nation"),
    (HEAD, "<h1>H</h1>", "https://www.thestar.com.my/sport/tennis/2025/05/23/x", None),
])
def test_the_section_comes_from_every_source_the_page_offers(
        head: str, header: str, url: str, label: str | None) -> None:
    page = ArticlePage.for_page(url, article_html(head=head, header=header))
    assert page.section_label() == label


@pytest.mark.parametrize(("html", "premium"), [
    (story_div_page(), False),
    (story_div_page(head="<title>H | The Star</title>" + parsely(is_premium="1")), True),
    (story_div_page(after='<div class="premium-access"><div>Monthly Plan</div></div>'), True),
    # The machine signal says free, a premium block says otherwise: premium.
    (story_div_page(head='<title>H | The Star</title><script type="application/ld+json">'
                         '{"@type": "NewsArticle", "isAccessibleForFree": true}</script>',
                    after='<div class="premium-access">Subscribe</div>'), True),
])
def test_premium_comes_from_any_signal(html: str, premium: bool) -> None:
    assert ArticlePage.for_page(URL, html).premium() is premium


def test_a_long_story_points_at_its_continuation_and_is_never_read_cut() -> None:
    page = ArticlePage.for_page(URL, story_div_page(extra=LOAD_LINK))
    assert page.continuation_url() == "https://www.thestar.com.my/api/readmore/get/654321/"
    with pytest.raises(PageError) as cut:
        page.to_data()
    assert cut.value.reason == BODY_INCOMPLETE
    data = page.to_data(continuation=REST)
    assert data.paragraphs == (*PARAGRAPHS, "The fourth paragraph.",
                               "The fifth one ends the story. - Reuters")
    assert data.agency == "Reuters"  # read from the whole body's last paragraph


def test_the_current_template_may_carry_a_load_link_too() -> None:
    html = article_html(head=HEAD + parsely(guid="777001"), body=body_div(extra=LOAD_LINK))
    page = ArticlePage.for_page(URL, html)
    assert page.LAYOUT == "v1"
    assert page.continuation_url() == "https://www.thestar.com.my/api/readmore/get/777001/"
    assert page.to_data(continuation=REST).paragraphs[-1].endswith("- Reuters")


def test_the_guid_falls_back_to_the_load_link_and_its_absence_is_an_error() -> None:
    head = jsonld_data_type(**{"@type": "NewsArticle", "headline": "H"})
    page = ArticlePage.for_page(URL, story_div_page(head=head, extra=LOAD_LINK))
    assert page.continuation_url() == "https://www.thestar.com.my/api/readmore/get/654321/"
    no_guid = LOAD_LINK.replace("'654321'", "this")
    with pytest.raises(PageError) as error:
        ArticlePage.for_page(URL, story_div_page(head=head, extra=no_guid)).continuation_url()
    assert error.value.reason == BODY_INCOMPLETE


@pytest.mark.parametrize("rest", ["", "   ", "<div class='ad'>ADVERTISEMENT</div>"])
def test_an_empty_continuation_is_an_incomplete_body(rest: str) -> None:
    page = ArticlePage.for_page(URL, story_div_page(extra=LOAD_LINK))
    with pytest.raises(PageError) as error:
        page.to_data(continuation=rest)
    assert error.value.reason == BODY_INCOMPLETE


FURNITURE = """<div class="embeded-image inline"><img src="/a.jpg" alt="">
<div class="inline-caption">File pic shows the scene. — Reuters</div><p>Photo: Bernama</p></div>
<p><img class="go-chart" src="/chart.png" alt=""> Chart: exports by month</p>
<div id="related-stories-div"><h3>Related Stories</h3><p><a href="/x">Other story</a></p></div>
<p><b>Related stories:</b></p>
<p><a href="/aseanplus/aseanplus-news/2025/05/20/one">Story one</a></p>
<p><a href="/aseanplus/aseanplus-news/2025/05/21/two">Story two</a></p>"""


@pytest.mark.parametrize("template", ["story-div", "v1"])
def test_in_body_furniture_never_reaches_the_body(template: str) -> None:
    html = (story_div_page(extra=FURNITURE) if template == "story-div"
            else article_html(body=body_div(extra=FURNITURE)))
    assert ArticlePage.for_page(URL, html).paragraphs() == PARAGRAPHS


def test_a_paragraph_after_a_related_list_is_story_text_again() -> None:
    extra = ('<p><b>Related stories:</b></p><p><a href="/y">Story one</a></p>'
             '<p>Back to the story, with <a href="/z">a link</a> in it.</p>')
    paragraphs = ArticlePage.for_page(URL, story_div_page(extra=extra)).paragraphs()
    assert paragraphs == (*PARAGRAPHS, "Back to the story, with a link in it.")


@pytest.mark.parametrize(("main", "media"), [
    ("", "text"),
    ('<div id="jwplayer-1"></div><script src="https://cdn.jwplayer.com/libraries/x.js">'
     "</script>", "video"),
    ('<script src="https://content.jwplatform.com/players/AbC.js"></script>', "video"),
    ('<iframe src="https://clips.thestar.com.my/embed/123"></iframe>', "video"),
])
def test_a_video_story_is_a_story_with_media_video(main: str, media: str) -> None:
    data = ArticlePage.for_page(URL, story_div_page(main=main, paragraphs=PARAGRAPHS[:1]))
    assert data.to_data().media == media


def test_a_gallery_is_skipped_not_a_bad_page() -> None:
    gallery = ('<main class="content-wrap"><h1>In pictures</h1><div class="album-content">'
               '<div class="album-item"><img src="/1.jpg"><p>Caption</p></div></div></main>')
    html = f"<html><head><title>In pictures | The Star</title></head><body>{gallery}</body></html>"
    with pytest.raises(NotAStoryError) as skipped:
        ArticlePage.for_page(URL, html)
    assert skipped.value.kind == "gallery"
    # A story that also shows an album is still a story.
    assert ArticlePage.for_page(URL, story_div_page(main=gallery.replace("<h1>", "<h2>")))
