"""The synthetic site: deterministic from its seed, realistic in its mix, valid as data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from replica_http import fetch

from newscrawl.replica import ReplicaServer, synthetic_site
from newscrawl.replica.content import ARTICLE_PATH_RE
from newscrawl.replica.synthetic import slugify
from newscrawl.urls import canonical_url


def test_the_same_seed_gives_the_same_site() -> None:
    first, again = synthetic_site(300, seed=7), synthetic_site(300, seed=7)
    assert first.articles == again.articles
    other = synthetic_site(300, seed=8)
    assert [a.path for a in other.articles] != [a.path for a in first.articles]


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        synthetic_site(-1, 1)


def test_the_mix_looks_like_the_real_section() -> None:
    site = synthetic_site(2000, seed=1)
    articles = site.articles
    share = Counter[str]()
    for a in articles:
        share["section"] += a.in_section
        share["premium"] += a.premium
        share["jsonld"] += a.jsonld
        share["unlisted"] += not a.listed
        share["byline"] += bool(a.authors)
        share["image"] += a.image is not None
        share["modified"] += a.modified is not None
        share["agency"] += bool(a.paragraphs) and a.paragraphs[-1].rsplit(" - ", 1)[-1] in (
            "AFP", "Reuters", "Bernama", "The Straits Times/ANN", "Xinhua")
        share["story-div"] += a.template == "story-div"
        share["long"] += a.is_long
        share["video"] += a.video is not None
        share["gallery"] += a.is_gallery
    n = len(articles)
    assert 0.8 < share["section"] / n < 0.97
    assert 0.02 < share["premium"] / n < 0.2
    assert 0.3 < share["jsonld"] / n < 0.7
    assert 0.01 < share["unlisted"] / n < 0.15
    assert 0.2 < share["byline"] / n < 0.8
    assert share["agency"] / n > 0.2
    assert share["image"] < n and share["modified"] > 0
    assert 0.15 < share["story-div"] / n < 0.35
    assert 0.03 < share["long"] / n < 0.2
    assert 0.02 < share["video"] / n < 0.07
    assert 0.005 < share["gallery"] / n < 0.04
    assert all(2 <= len(a.paragraphs) <= 3 for a in articles if a.premium)
    assert all(a.paragraphs[0].split(":")[0].isupper() for a in articles if not a.is_gallery)
    assert all(a.in_section and not a.paragraphs for a in articles if a.is_gallery)


def test_paths_are_valid_unique_and_links_point_into_the_site() -> None:
    site = synthetic_site(1500, seed=3)
    paths = [a.path for a in site.articles]
    assert len(set(paths)) == len(paths)
    for article in site.articles:
        match = ARTICLE_PATH_RE.match(article.path)
        assert match is not None
        assert (match["y"], match["m"], match["d"]) == tuple(
            article.published.strftime("%Y %m %d").split())
        for href in article.others_also_read:
            assert site.get(canonical_url(href, article.url).removeprefix(
                "https://www.thestar.com.my")) is not None


@pytest.mark.parametrize(("title", "slug"), [
    ("Singapore's new rule", "singapore039s-new-rule"),
    ("Fund of US$3.4mil approved", "fund-of-us34mil-approved"),
    ("Asean - talks resume", "asean-talks-resume"),
])
def test_slugs_follow_the_site_rules(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_synthetic_site_serves_pages_in_the_same_markup(
    replica_factory: Callable[..., ReplicaServer],
) -> None:
    server = replica_factory(articles=200, seed=5)
    listing = fetch(server, "/aseanplus/aseanplus-news").tree()
    hrefs = [a.get("href") for a in listing.cssselect("h2.f18 > a")]
    assert len(hrefs) == 10
    page = fetch(server, server.site.in_section()[0].path)
    assert page.status == 200
    assert page.tree().cssselect("div#story-body > p")
