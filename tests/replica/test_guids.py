"""Story guids: one story per guid in a site, so the recommendation service (keyed by guid)
serves every story its own list."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from itertools import count

from newscrawl.replica import synthetic_site
from newscrawl.replica.others_service import ServiceRouter
from newscrawl.replica.others_source import (
    SERVICE_COUNT,
    SERVICE_SITE_ID,
    SERVICE_WIDGET,
    OthersDelivery,
)
from newscrawl.replica.site import Site, SiteArticle

BIG = synthetic_site(2000, seed=1)


def colliding_pair() -> tuple[SiteArticle, SiteArticle]:
    """Two stories (the second a day newer) whose paths draw the same guid on their own."""
    base = BIG.articles[-1]
    seen: dict[str, SiteArticle] = {}
    for n in count():
        article = replace(base, path=f"{base.section_path}/2025/01/01/story-{n}",
                          others_also_read=(), guid_draw=0)
        if article.guid in seen:
            older = seen[article.guid]
            return older, replace(article, published=older.published + timedelta(days=1))
        seen[article.guid] = article
    raise AssertionError("unreachable")


def test_every_guid_of_a_2000_story_site_is_distinct() -> None:
    guids = [a.guid for a in BIG.articles]
    assert len(set(guids)) == len(guids) == 2000
    assert all(g.isdigit() and len(g) == 6 for g in guids)
    # The site has stories whose paths alone draw a taken guid: the check above is not vacuous.
    alone = {replace(a, guid_draw=0).guid for a in BIG.articles}
    assert len(alone) < len(guids)


def test_the_remote_service_serves_each_story_its_own_list() -> None:
    delivery = OthersDelivery(source="remote")
    router = ServiceRouter(BIG, delivery)
    redrawn = [a for a in BIG.articles if a.guid_draw]
    assert redrawn
    for article in redrawn + list(BIG.articles[:50]):
        answer = router.resolve(f"{delivery.service_path()}?site={SERVICE_SITE_ID}"
                                f"&guid={article.guid}&widget={SERVICE_WIDGET}&n={SERVICE_COUNT}")
        assert answer.status == 200
        docs = json.loads(answer.body)["result"]["docs"]
        assert [d["link"]["href"] for d in docs] == list(article.others_also_read), article.path


def test_the_newer_story_of_a_collision_draws_again_and_older_guids_stay() -> None:
    older, newer = colliding_pair()
    site = Site((newer, older))
    by_path = {a.path: a for a in site.articles}
    assert by_path[older.path].guid == older.guid
    assert by_path[newer.path].guid != older.guid
    # Adding a newer story later changes no guid already handed out.
    newest = replace(newer, path=newer.path + "-x", published=newer.published + timedelta(1))
    grown = {a.path: a.guid for a in Site((newer, older, newest)).articles}
    assert grown[older.path] == older.guid and grown[newer.path] == by_path[newer.path].guid
    assert len(set(grown.values())) == 3
