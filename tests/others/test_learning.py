"""Learning where the list comes from, on pages the replica renders (no browser, no network)."""

from __future__ import annotations

import pytest
from replica_pages import ORIGIN, SERVICE, ReplicaPages

from newscrawl.others.inference import Observation, candidates, narrow
from newscrawl.others.learner import ListSourceLearner
from newscrawl.others.page_values import read_page_values
from newscrawl.others.rule import ListRule, RuleFormatError, request_key
from newscrawl.replica import SiteArticle, synthetic_site
from newscrawl.replica.others_source import OthersSource

SITE = synthetic_site(40, seed=3)


def stories(count: int, skip: int = 0) -> list[SiteArticle]:
    with_lists = [a for a in SITE.articles if a.others_also_read]
    return with_lists[skip:skip + count]


def learned(pages: ReplicaPages, count: int = 3) -> ListRule:
    events: list[str] = []
    learner = ListSourceLearner(count=events.append)
    for article in stories(count):
        learner.rendered(pages.observation(article), "fallback")
    assert learner.rule is not None, events
    assert events.count("learned") == 1
    return learner.rule


@pytest.mark.parametrize("source", ["api", "remote", "inline"])
def test_a_rule_learned_on_three_pages_gives_every_other_story_its_list(
        source: OthersSource) -> None:
    pages = ReplicaPages(SITE, source)
    rule = learned(pages)
    assert rule.kind == ("inline" if source == "inline" else "fetch")
    for article in stories(10, skip=3):
        page = read_page_values(ORIGIN + article.path, pages.html(article))
        expected = pages.observation(article).rendered
        if rule.kind == "inline":
            assert rule.links_from_page(page, article.url) == expected
            continue
        url = rule.request_url(page)
        assert url is not None
        response = pages.serve(url)
        assert response.status == 200, (url, response.body)
        assert rule.links_from_body(response.body, article.url) == expected


def test_the_remote_rule_reads_guid_site_and_widget_from_the_page() -> None:
    rule = learned(ReplicaPages(SITE, "remote"))
    parts = dict(rule.query)
    assert parts["guid"] == ("val", "meta:parsely-metadata/guid")
    assert parts["site"][0] == "val" and parts["widget"][0] == "val"
    # The service's port comes from the page, so a rule outlives a replica on another port.
    assert rule.origin == ("originof", "script:endpoint")
    assert rule.field == "result.docs[].link.href"


def test_the_api_rule_is_keyed_by_the_page_path_on_the_page_origin() -> None:
    rule = learned(ReplicaPages(SITE, "api"))
    assert rule.origin == ("origin", "")
    assert dict(rule.query) == {"path": ("val", "page:path")}


def test_one_page_is_not_enough_and_a_literal_key_does_not_survive_a_second_page() -> None:
    pages = ReplicaPages(SITE, "remote")
    first, second = stories(2)
    [found] = [c for c in candidates(pages.observation(first)) if c.kind == "fetch"]
    guid = dict(found.query)["guid"]
    assert ("lit", guid_of(found)) in guid  # on one page the guid could be a constant
    [merged] = narrow([found], candidates(pages.observation(second)))
    assert all(kind != "lit" for kind, _ in dict(merged.query)["guid"])
    assert merged.pages == 2


def guid_of(candidate: object) -> str:
    sources = dict(candidate.query)["guid"]  # type: ignore[attr-defined]
    return next(name for kind, name in sources if kind == "lit")


def test_responses_that_do_not_carry_the_list_are_not_candidates() -> None:
    pages = ReplicaPages(SITE, "api")
    article = stories(1)[0]
    other = stories(1, skip=5)[0]
    # The browser also fetched another story's list: only the page's own explains its links.
    observation = pages.observation(article, extra=(pages.list_url(other) or "",))
    found = candidates(observation)
    assert len(found) == 1
    built = found[0].to_rule().request_url(observation.page)
    assert built is not None
    assert request_key(built) == request_key(pages.list_url(article) or "")


def test_an_empty_list_teaches_nothing() -> None:
    pages = ReplicaPages(SITE, "api")
    article = stories(1)[0]
    observation = pages.observation(article)
    empty = Observation(observation.page, observation.base, observation.responses, ())
    assert candidates(empty) == []


def test_a_rule_survives_storage_and_a_bad_one_is_refused() -> None:
    rule = learned(ReplicaPages(SITE, "remote"))
    assert ListRule.from_json(rule.to_json()) == rule
    assert "guid" in rule.describe()
    for text in ("{}", "not json", '{"format": 99, "kind": "fetch"}',
                 rule.to_json().replace('"originof"', '"eval"')):
        with pytest.raises(RuleFormatError):
            ListRule.from_json(text)


def test_the_service_rejects_a_request_without_the_page_values() -> None:
    pages = ReplicaPages(SITE, "remote")
    article = stories(1)[0]
    url = pages.list_url(article) or ""
    assert pages.serve(url).status == 200
    assert pages.serve(url.replace("wdg-", "xx-")).status == 400
    assert pages.serve(url.replace("/reco/v1/", "/reco/v2/")).status == 404
    assert url.startswith(SERVICE)
