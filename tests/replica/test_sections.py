"""The sections besides Aseanplus News: listings, feeds, "Next In" blocks, shared stories and
"Others Also Read" lists that cross sections, in both article templates and under faults.

Links are resolved here with the standard library only: these tests check the site the crawler
is tested against, so they must not lean on the crawler's own URL rules.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

import pytest
from replica_http import fetch

from newscrawl.replica import (
    SECTIONS,
    ReplicaSection,
    ReplicaServer,
    Site,
    load_site,
    synthetic_site,
)
from newscrawl.replica.article_render_v2 import readmore_path
from newscrawl.replica.listing_render import PAGE_SIZE
from newscrawl.replica.router import SiteRouter
from newscrawl.replica.sections import SECTION_PATH, SECTIONS_BY_PATH

NATION = SECTIONS_BY_PATH["/news/nation"]
OTHER_SECTIONS = [s for s in SECTIONS if s.path != SECTION_PATH]
STAR_HOSTS = {"www.thestar.com.my", "thestar.com.my"}


def site_path(href: str, base: str = "https://www.thestar.com.my/") -> str | None:
    """The path a link points at on the site (any host variant, query and fragment dropped),
    or None when it leaves the site."""
    parts = urlsplit(urljoin(base, href))
    if parts.hostname not in STAR_HOSTS:
        return None
    return parts.path.rstrip("/") or "/"


def walk_listing(server: ReplicaServer, section: ReplicaSection) -> list[str]:
    """Every story path of a section's listing, following ``a#loadMorestories``."""
    seen: list[str] = []
    target: str | None = section.path
    for _ in range(100):
        if target is None:
            return seen
        page = fetch(server, target)
        assert page.status == 200, target
        tree = page.tree()
        seen += [site_path(a.get("href")) or "" for a in tree.cssselect("h2.f18 > a")]
        more = tree.cssselect("a#loadMorestories")
        target = more[0].get("href") if more else None
    raise AssertionError(f"{section.path}: the listing does not end")


def next_in(server: ReplicaServer, path: str) -> tuple[str, list[str]]:
    tree = fetch(server, path).tree()
    block = tree.cssselect("section.side-stories")
    assert len(block) == 1, f"{path}: no Next In block"
    heading = block[0].cssselect("h3")[0].text_content().strip()
    return heading, [site_path(a.get("href")) or "" for a in block[0].cssselect("li > a")]


def others(server: ReplicaServer, path: str) -> list[str]:
    data = json.loads(fetch(server, f"/api/others-also-read?path={path}").body)
    return [site_path(item["url"]) or "" for item in data["items"]]


def section_of(path: str) -> str:
    return path.rsplit("/", 4)[0]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.path)
def test_every_section_has_a_listing_walk_of_its_listed_stories(
    replica: ReplicaServer, section: ReplicaSection,
) -> None:
    expected = [a.path for a in replica.site.in_section_path(section.path)]
    assert expected, f"{section.path}: the hand-written site lists nothing here"
    seen = walk_listing(replica, section)
    assert seen == expected
    assert all(replica.site.get(p) is not None and replica.site.get(p).listed  # type: ignore[union-attr]
               for p in seen)


def test_nation_is_hand_written_over_two_pages_with_its_own_and_shared_stories(
    replica: ReplicaServer,
) -> None:
    seen = walk_listing(replica, NATION)
    assert len(seen) > PAGE_SIZE, "Nation fits on one listing page: pagination is untested"
    own = [p for p in seen if section_of(p) == NATION.path]
    shared = [p for p in seen if section_of(p) == SECTION_PATH]
    assert len(own) >= 6 and len(shared) >= 3
    assert own + shared != seen, "shared stories are not interleaved by date"
    unlisted = [a.path for a in replica.site.articles
                if section_of(a.path) == NATION.path and not a.listed]
    assert unlisted and not set(unlisted) & set(seen)
    kickers = fetch(replica, NATION.path).tree().cssselect("a.kicker")
    assert {k.text_content().strip() for k in kickers} >= {"Nation", "Aseanplus News"}


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.path)
def test_listing_head_pager_and_feed_are_the_sections_own(
    replica: ReplicaServer, section: ReplicaSection,
) -> None:
    tree = fetch(replica, section.path).tree()
    assert tree.cssselect("h1.section-title")[0].text_content() == section.label
    assert tree.cssselect("title")[0].text_content() == section.title
    webpage = json.loads(tree.cssselect('script[type="application/ld+json"]')[0].text)
    assert webpage["articleSection"] == section.label
    assert webpage["url"] == "https://www.thestar.com.my" + section.path
    for href in [a.get("href") for a in tree.cssselect("ul.pager > li > a")]:
        assert href.startswith(f"{section.path}?bycat={section.bycat}&pgno=")
    assert section.rss_path is not None
    feed = fetch(replica, section.rss_path)
    assert feed.status == 200 and "xml" in feed.headers["content-type"]
    channel = ET.fromstring(feed.body).find("channel")
    assert channel is not None
    assert channel.findtext("title") == f"The Star Online - {section.label}"
    links = [site_path(item.findtext("link") or "") for item in channel.findall("item")]
    assert links == [a.path for a in replica.site.in_section_path(section.path)][:20]


@pytest.mark.parametrize("slug", [
    "kl-monorail-to-run-four-car-trains-on-all-services-by-year-end",  # story-page template
    "sarawak-opens-first-hydrogen-refuelling-station-for-buses-in-kuching",  # story-div, long
])
def test_a_nation_story_has_its_kicker_and_next_in_nation_in_both_templates(
    replica: ReplicaServer, slug: str,
) -> None:
    story = next(a for a in replica.site.articles if a.slug == slug)
    page = fetch(replica, story.path)
    assert page.status == 200
    heading, links = next_in(replica, story.path)
    assert heading == "Next In Nation"
    listed = [a.path for a in replica.site.in_section_path(NATION.path) if a.path != story.path]
    assert links == listed[:10] and len(links) == 10
    assert {section_of(p) for p in links} == {NATION.path, SECTION_PATH}, "no shared story"
    tree = page.tree()
    if story.template == "story-div":
        assert tree.cssselect("div#ContentPlaceHolder1_storyDiv")
        assert fetch(replica, readmore_path(story)).status == 200, "the long story is not cut"
        related = [site_path(a.get("href")) or ""
                   for a in tree.cssselect("div#related-stories-div a")]
        assert related and {section_of(p) for p in related} == {NATION.path}
    else:
        kicker = tree.cssselect('a.kicker[data-list-type="Article"]')[0]
        assert kicker.text_content().strip() == "Nation"
        assert kicker.get("href") == NATION.path
        assert tree.cssselect("div#story-body")


def test_a_shared_story_keeps_its_own_section_wherever_it_is_listed(
    replica: ReplicaServer,
) -> None:
    nation = set(walk_listing(replica, NATION))
    aseanplus = set(walk_listing(replica, SECTIONS_BY_PATH[SECTION_PATH]))
    shared = nation & aseanplus
    assert len(shared) >= 3
    for path in sorted(shared)[:2]:
        heading, links = next_in(replica, path)
        assert heading == "Next In Aseanplus News"
        assert all(section_of(p) == SECTION_PATH for p in links)
        kicker = fetch(replica, path).tree().cssselect('a.kicker[data-list-type="Article"]')[0]
        assert kicker.text_content().strip() == "Aseanplus News"
    business = set(walk_listing(replica, SECTIONS_BY_PATH["/business/business-news"]))
    assert nation & business, "no Nation story is shared with Business News"


def test_others_also_read_crosses_sections_both_ways(replica: ReplicaServer) -> None:
    site = replica.site
    nation_stories = [a for a in site.articles if section_of(a.path) == NATION.path]
    from_nation = {section_of(p) for a in nation_stories for p in others(replica, a.path)}
    assert {SECTION_PATH, NATION.path, "/news/world", "/business/business-news"} <= from_nation
    from_aseanplus = {section_of(p) for a in site.in_section() for p in others(replica, a.path)}
    assert {NATION.path, "/news/world"} <= from_aseanplus
    for article in nation_stories:
        for path in others(replica, article.path):
            assert site.get(path) is not None, f"{article.path} links to {path}, not served"


def test_the_aseanplus_listing_shares_nothing_from_other_sections(replica: ReplicaServer) -> None:
    # Its listing, feed and pages must stay what the crawler's fixtures were saved from.
    assert all(section_of(a.path) == SECTION_PATH for a in replica.site.in_section())


def sections_site() -> Site:
    return synthetic_site(400, 5)


def test_synthetic_sections_have_listings_with_own_and_shared_stories(
    replica_factory: Callable[..., ReplicaServer],
) -> None:
    server = replica_factory(site=sections_site())
    site = server.site
    assert all(section_of(a.path) == SECTION_PATH for a in site.in_section())
    for section in OTHER_SECTIONS:
        seen = walk_listing(server, section)
        assert seen == [a.path for a in site.in_section_path(section.path)]
        assert any(section_of(p) == section.path for p in seen), section.path
        assert any(section_of(p) != section.path for p in seen), f"{section.path}: no share"
        own = next(a for a in site.in_section_path(section.path)
                   if section_of(a.path) == section.path and not a.is_gallery)
        heading, _ = next_in(server, own.path)
        assert heading == f"Next In {section.label}"


def test_section_articles_add_stories_to_the_other_sections_only() -> None:
    plain, grown = synthetic_site(120, 4), synthetic_site(120, 4, section_articles=30)
    assert set(plain.articles) < set(grown.articles)
    added = set(grown.articles) - set(plain.articles)
    for section in OTHER_SECTIONS:
        own = [a for a in added if section_of(a.path) == section.path]
        assert len(own) == 30
        assert min(a.published for a in own) >= min(a.published for a in plain.articles)
        listed = grown.in_section_path(section.path)
        assert len(listed) > len(plain.in_section_path(section.path)) + 20
    assert grown.in_section() == plain.in_section()
    linked = {section_of(site_path(h) or "") for a in added for h in a.others_also_read}
    assert SECTION_PATH in linked and NATION.path in linked
    assert all(site_path(h) in {a.path for a in grown.articles}
               for a in added for h in a.others_also_read)


def test_synthetic_sharing_leaves_the_rest_of_the_site_as_it_was() -> None:
    site = sections_site()
    shared = [a for a in site.articles if a.also_listed_in]
    assert 0.08 < len(shared) / len(site) < 0.25
    assert all(SECTION_PATH not in a.also_listed_in and section_of(a.path) not in a.also_listed_in
               for a in shared)
    again = sections_site()
    assert [a.also_listed_in for a in again.articles] == [a.also_listed_in for a in site.articles]


@pytest.mark.parametrize("section", OTHER_SECTIONS, ids=lambda s: s.path)
def test_faults_hit_other_sections_pages_like_aseanplus_pages(
    replica_factory: Callable[..., ReplicaServer], section: ReplicaSection,
) -> None:
    server = replica_factory(faults=["error=1"])
    story = server.site.in_section_path(section.path)[0]
    assert fetch(server, story.path).status == 500
    assert fetch(server, section.path).status == 200, "listings fail only with scope pages"
    from newscrawl.replica import FaultPlan

    paged = replica_factory(faults=FaultPlan.parse(["error=1"], scope="pages"))
    assert fetch(paged, section.path).status == 500
    assert section.rss_path is not None and fetch(paged, section.rss_path).status == 500


def aseanplus_responses(site: Site) -> dict[str, bytes]:
    """Every response of the Aseanplus section: listing pages, feed, story pages, lists and
    continuations."""
    router = SiteRouter(site)
    targets = [SECTION_PATH, "/rss/aseanplus"]
    targets += [f"{SECTION_PATH}?pgno={n}" for n in range(2, len(site.in_section()) // 10 + 3)]
    for article in site.articles:
        if section_of(article.path) == SECTION_PATH:
            targets += [article.path, f"/api/others-also-read?path={article.path}",
                        readmore_path(article)]
    return {target: router.resolve(target).body for target in targets}


@pytest.mark.parametrize("make_site", [
    load_site, lambda: synthetic_site(300, 5), lambda: synthetic_site(300, 5, 40),
], ids=["hand-written", "synthetic", "synthetic-with-section-articles"])
def test_other_sections_leave_every_aseanplus_response_as_it_was(
    make_site: Callable[[], Site],
) -> None:
    site = make_site()
    # The site as it would be with Aseanplus News alone: other sections' stories kept (links
    # point at them) but no story shared into any listing.
    alone = Site(tuple(replace(a, also_listed_in=()) for a in site.articles))
    assert alone.in_section_path(NATION.path) != site.in_section_path(NATION.path)
    assert aseanplus_responses(site) == aseanplus_responses(alone)


def test_a_nation_story_gets_its_list_from_the_remote_service_and_inline() -> None:
    site = load_site()
    story = next(a for a in site.in_section_path(NATION.path)
                 if section_of(a.path) == NATION.path and a.others_also_read)
    with ReplicaServer(site, others_source="remote") as remote:
        assert remote.service is not None
        page = fetch(remote, story.path).text
        config = json.loads(re.search(r"window\.recoConfig = (\{.*?\});", page)[1])  # type: ignore[index]
        endpoint = urlsplit(config["endpoint"])
        assert endpoint.port == remote.service.port
        target = (f"{endpoint.path}?site={config['siteId']}&guid={story.guid}"
                  f"&widget=wdg-aseanplus-bottom&n={config['count']}")
        answer = fetch(remote.service, target)
        assert answer.status == 200
        docs = json.loads(answer.body)["result"]["docs"]
        assert [d["link"]["href"] for d in docs] == list(story.others_also_read)
    with ReplicaServer(site, others_source="inline") as inline:
        page = fetch(inline, story.path).text
        state = json.loads(re.search(r"window\.__RECO_STATE__ = (\{.*?\});</script>",
                                     page)[1])  # type: ignore[index]
        assert [s["url"] for s in state["stories"]] == list(story.others_also_read)
