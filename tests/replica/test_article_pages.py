"""Article pages carry the documented selectors, and what they show is what the data files hold."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from replica_http import fetch

from newscrawl.replica import ReplicaServer, SiteArticle
from newscrawl.replica.article_render import NEXT_IN_COUNT, PLAN_BOX
from newscrawl.urls import canonical_url


def body_paragraphs(tree: lxml.html.HtmlElement, container: str = "#story-body") -> list[str]:
    """The text a careful parser reads: ``p`` children minus captions, scripts and noscript."""
    texts = []
    for p in tree.cssselect(f"{container} > p"):
        if "caption" in (p.get("class") or "").split():
            continue
        for noise in p.cssselect("span.inline-caption, script, noscript"):
            noise.drop_tree()
        texts.append(p.text_content())
    return texts


def regular(replica: ReplicaServer) -> list[SiteArticle]:
    """Good pages of the current template (the other one: test_story_div_pages.py)."""
    articles = [a for a in replica.site.articles if a.fault is None
                and a.template == "story-page" and not a.is_gallery and a.video is None]
    assert articles, "the fixtures hold no regular article"
    return articles


def meta(tree: lxml.html.HtmlElement, selector: str) -> str | None:
    found = tree.cssselect(selector)
    return found[0].get("content") if found else None


def test_every_article_page_shows_its_data_file(replica: ReplicaServer) -> None:
    for article in regular(replica):
        page = fetch(replica, article.path)
        assert page.status == 200 and page.headers["content-type"].startswith("text/html")
        tree = page.tree()
        assert tree.findtext(".//title") == f"{article.title} | The Star"
        assert tree.cssselect("link[rel=canonical]")[0].get("href") == article.url
        assert meta(tree, "meta[property='og:url']") == article.url
        assert meta(tree, "meta[property='og:title']") == f"{article.title} | The Star"
        assert meta(tree, "meta[property='og:description']") == article.summary
        assert meta(tree, "meta[name='twitter:site']") == "@staronline"
        assert meta(tree, "meta[name='page_type']") == "article"
        published = article.published.strftime("%Y-%m-%d %H:%M:%S")
        assert meta(tree, "meta[itemprop='datePublished']") == published
        modified = meta(tree, "meta[itemprop='dateModified']")
        assert modified == (article.modified.strftime("%Y-%m-%d %H:%M:%S")
                            if article.modified else None)
        parsely = json.loads(meta(tree, "meta[name='parsely-metadata']") or "{}")
        assert parsely["url"] == article.url

        kicker = tree.cssselect('a.kicker[data-list-type="Article"]')[0].text_content()
        assert kicker != kicker.strip() and kicker.strip() == article.section
        assert [h.text_content() for h in tree.cssselect("div.headline.story-pg h1")] == [
            article.title]
        assert len(tree.cssselect("h1")) == 1
        authors = [a.text_content() for a in tree.cssselect("div.credit__authors > a")]
        assert authors == list(article.authors)
        assert tree.cssselect("p.date")[0].text_content() == (
            f"{article.published:%A}, {article.published:%d %b %Y}")
        stamp = tree.cssselect("time.timestamp")[0].text_content()
        assert re.fullmatch(r"(1[0-2]|[1-9]):[0-5]\d [AP]M MYT", stamp)
        assert stamp.startswith(f"{article.published.hour % 12 or 12}:"
                                f"{article.published.minute:02d}")

        assert body_paragraphs(tree) == list(article.paragraphs), article.path
        assert tree.cssselect("div#story-body.story.bot-15.relative")
        text = tree.text_content()
        assert "Follow us on our official WhatsApp channel for breaking news alerts" in \
            " ".join(text.split())
        if article.tags:
            assert " , ".join(article.tags) in text


def test_images_and_json_ld_follow_the_file(replica: ReplicaServer) -> None:
    articles = regular(replica)
    assert {a.jsonld for a in articles} == {True, False}, "fixtures lack the JSON-LD mix"
    for article in articles:
        tree = fetch(replica, article.path).tree()
        blocks = [json.loads(s.text) for s in
                  tree.cssselect('script[type="application/ld+json"]')]
        if article.jsonld:
            assert [b["@type"] for b in blocks] == ["NewsArticle"]
            assert blocks[0]["headline"] == article.title
            assert blocks[0]["datePublished"] == article.published.isoformat()
        else:
            assert blocks == []
        if article.image is None:
            assert not tree.cssselect("div.story-image")
            continue
        image = tree.cssselect("div.story-image img")[0]
        assert image.get("src") == (
            f"https://apicms.thestar.com.my/uploads/images/{article.image.id}.jpg")
        assert meta(tree, "meta[property='og:image']") == image.get("src")
        assert article.image.caption in tree.cssselect("div.story-image")[0].text_content()


def test_the_body_holds_the_noise_the_file_lists(replica: ReplicaServer) -> None:
    selectors = {
        "caption": "#story-body > p.caption",
        "inline-caption": "#story-body > p span.inline-caption",
        "script": "#story-body > p script",
        "noscript": "#story-body > p noscript",
        "chart": "#story-body div[class*=flourish]",
        "ad": "#story-body div.ad-slot",
    }
    seen: set[str] = set()
    for article in regular(replica):
        tree = fetch(replica, article.path).tree()
        for kind, selector in selectors.items():
            present = bool(tree.cssselect(selector))
            # inline-caption needs a second paragraph to sit in
            if kind != "inline-caption" or len(article.paragraphs) > 1:
                assert present == (kind in article.noise), (article.path, kind)
            seen.update([kind] if present else [])
    assert seen == set(selectors), "the fixtures do not exercise every kind of noise"


def test_next_in_lists_the_newest_section_stories(replica: ReplicaServer) -> None:
    section = replica.site.in_section()
    for article in [a for a in regular(replica) if a.in_section]:
        tree = fetch(replica, article.path).tree()
        heading = [h for h in tree.iter("h2", "h3", "h4")
                   if h.text_content().strip() == "Next In Aseanplus News"]
        assert len(heading) == 1
        links = heading[0].getparent().cssselect("a")
        hrefs = [a.get("href") for a in links]
        expected = [s for s in section if s.path != article.path][:NEXT_IN_COUNT]
        assert [canonical_url(h, article.url) for h in hrefs] == [s.url for s in expected]
        assert [a.text_content() for a in links] == [s.title for s in expected]
        if len(hrefs) >= 5:
            assert any(h.startswith("/") for h in hrefs)
            assert any(h.startswith("http://") for h in hrefs)
            assert any(h.startswith("https://thestar.com.my/") for h in hrefs)
            assert any(h.endswith("/") for h in hrefs)


def test_others_also_read_is_empty_in_the_html(replica: ReplicaServer) -> None:
    articles = [a for a in regular(replica) if a.others_also_read]
    assert articles, "no fixture has others_also_read links"
    for article in articles:
        page = fetch(replica, article.path)
        tree = page.tree()
        heading = [h for h in tree.iter("h3") if h.text_content() == "Others Also Read"]
        assert len(heading) == 1
        assert heading[0].getparent().cssselect("a") == []
        assert "/api/others-also-read" in page.text
        api = fetch(replica, f"/api/others-also-read?path={article.path}")
        data = json.loads(api.body)
        assert [item["url"] for item in data["items"]] == list(article.others_also_read)


def test_premium_pages_carry_badge_free_paragraphs_and_plan_box(
    replica: ReplicaServer,
) -> None:
    premium = [a for a in regular(replica) if a.premium]
    assert premium, "no premium fixture"
    for article in premium:
        tree = fetch(replica, article.path).tree()
        assert "PREMIUM" in tree.cssselect(".story-header")[0].text_content()
        assert body_paragraphs(tree) == list(article.paragraphs)
        text = tree.text_content()
        for line in PLAN_BOX:
            assert line in text
    free = next(a for a in regular(replica) if not a.premium)
    assert PLAN_BOX[0] not in fetch(replica, free.path).text


def test_other_sections_render_with_their_own_kicker(replica: ReplicaServer) -> None:
    others = [a for a in regular(replica) if not a.in_section]
    assert others, "no other-section fixture"
    for article in others:
        tree = fetch(replica, article.path).tree()
        kicker = tree.cssselect('a.kicker[data-list-type="Article"]')[0]
        assert kicker.text_content().strip() == article.section != "Aseanplus News"
        assert kicker.get("href") == article.section_path


@pytest.mark.parametrize("fault", ["empty", "not-html", "no-headline", "broken-markup"])
def test_bad_pages_are_spoiled_as_the_file_says(
    replica: ReplicaServer, fault: str,
) -> None:
    article = next((a for a in replica.site.articles if a.fault == fault), None)
    if article is None:
        pytest.fail(f"no fixture with fault = {fault!r}")
    page = fetch(replica, article.path)
    assert page.status == 200
    if fault == "empty":
        assert page.body == b""
    elif fault == "not-html":
        assert page.headers["content-type"] == "application/pdf"
        assert page.body.startswith(b"%PDF")
    elif fault == "no-headline":
        tree = page.tree()
        assert tree.cssselect("h1") == [] and meta(tree, "meta[property='og:title']") is None
        assert article.title not in page.text
        assert body_paragraphs(tree) == list(article.paragraphs)
    else:
        assert not page.text.rstrip().endswith("</html>")
        assert re.search(r"<[a-z]+$", page.text), page.text[-40:]
        assert int(page.headers["content-length"]) == len(page.body)
