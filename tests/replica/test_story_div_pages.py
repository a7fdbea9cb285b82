"""The other article template: the selectors of site-facts.md ("More of the article template"),
long stories and their continuations, premium, video stories and galleries, from the data."""

from __future__ import annotations

import json

import lxml.html
import pytest
from replica_http import fetch

from newscrawl.replica import ReplicaServer, SiteArticle

Tree = lxml.html.HtmlElement


def story_div(replica: ReplicaServer) -> list[SiteArticle]:
    found = [a for a in replica.site.articles if a.template == "story-div" and not a.is_gallery]
    assert found, "the fixtures hold no story in the story-div template"
    return found


def head_data(tree: Tree) -> tuple[dict[str, object], dict[str, object]]:
    """The JSON-LD (data-type) and parse.ly objects of a page."""
    script = tree.cssselect('script[data-type="application/ld+json"]')
    assert script and not tree.cssselect('script[type="application/ld+json"]')
    parsely = tree.cssselect('meta[name="parsely-metadata"]')[0].get("content")
    return json.loads(script[0].text), json.loads(parsely)


def paragraphs(node: Tree) -> list[str]:
    """Plain ``p`` texts (scripts dropped): no class, no link-only line, no chart, no load link."""
    for script in node.cssselect("p script"):
        script.drop_tree()
    return [p.text_content() for p in node.iter("p")
            if not p.get("class") and not p.cssselect("a, img, b")
            and not any(a.get("id") == "related-stories-div" or "embeded-image" in
                        (a.get("class") or "") for a in p.iterancestors())]


def test_story_pages_carry_the_template_and_their_data(replica: ReplicaServer) -> None:
    for article in story_div(replica):
        tree = fetch(replica, article.path).tree()
        story = tree.cssselect('main.content-wrap div.story[id*="storyDiv"]')
        assert len(story) == 1, article.path
        jsonld, parsely = head_data(tree)
        assert jsonld["headline"] == article.title
        assert jsonld["creator"] == [*article.authors, "The Star Online"]
        assert jsonld["dateCreated"] == article.published.isoformat()
        assert parsely["guid"] == article.guid and parsely["summary"] == article.summary
        assert parsely["is_premium"] == ("1" if article.premium else "0")
        assert not tree.cssselect("a.kicker, div#story-body")
        shown = paragraphs(story[0])
        assert shown == list(article.paragraphs[:article.html_paragraphs]), article.path
        assert bool(tree.cssselect('a[onclick*="loadFull"]')) is article.is_long
        assert bool(tree.cssselect("div.premium-access")) is article.premium


def test_a_long_story_continues_at_the_readmore_endpoint(replica: ReplicaServer) -> None:
    long_stories = [a for a in story_div(replica) if a.is_long]
    assert len(long_stories) >= 2
    for article in long_stories:
        fragment = fetch(replica, f"/api/readmore/get/{article.guid}/")
        assert fragment.status == 200
        assert fragment.headers["content-type"].startswith("text/html")
        tree = lxml.html.fromstring(f"<div>{fragment.text}</div>")
        assert paragraphs(tree) == list(article.paragraphs[article.html_paragraphs:])
    assert fetch(replica, "/api/readmore/get/000000/").status == 404
    short = next(a for a in story_div(replica) if not a.is_long)
    assert fetch(replica, f"/api/readmore/get/{short.guid}/").status == 404


@pytest.mark.parametrize(("kind", "selector"), [
    ("jwplayer", 'script[src*="jwplayer"]'),
    ("clips", 'iframe[src^="https://clips.thestar.com.my/"]'),
])
def test_video_stories_embed_their_player(replica: ReplicaServer, kind: str,
                                          selector: str) -> None:
    videos = [a for a in replica.site.articles if a.video == kind]
    assert videos
    for article in videos:
        tree = fetch(replica, article.path).tree()
        assert tree.cssselect(selector)
        assert 1 <= len(article.paragraphs) <= 2


def test_galleries_are_albums_listed_like_stories(replica: ReplicaServer) -> None:
    galleries = [a for a in replica.site.articles if a.is_gallery]
    assert galleries
    pages = -(-len(replica.site.in_section()) // 10)
    listing = "".join(fetch(replica, f"/aseanplus/aseanplus-news?pgno={n}").text
                      for n in range(1, pages + 1))
    for article in galleries:
        tree = fetch(replica, article.path).tree()
        assert len(tree.cssselect("div.album-content div.album-item img")) == len(article.photos)
        assert not tree.cssselect('div[id*="storyDiv"], div#story-body')
        assert article.path in listing


def test_in_body_furniture_follows_the_noise_list(replica: ReplicaServer) -> None:
    for article in story_div(replica):
        html = fetch(replica, article.path).text
        if article.is_long:
            html += fetch(replica, f"/api/readmore/get/{article.guid}/").text
        noise = set(article.noise)
        assert ('class="embeded-image inline"' in html) is ("embedded-image" in noise)
        assert ('class="go-chart"' in html) is ("go-chart" in noise)
        assert ('id="related-stories-div"' in html) is ("related-box" in noise)
        assert ("<b>Related stories:</b>" in html) is ("related-list" in noise)
