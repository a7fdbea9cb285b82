"""The run's list policy: hold while learning, sample checks, drops and relearning."""

from __future__ import annotations

from replica_pages import ORIGIN, ReplicaPages

from newscrawl.others.inference import Observation
from newscrawl.others.learner import ListSourceLearner, Plan
from newscrawl.others.page_values import PageValues, read_page_values
from newscrawl.others.rule import ListRule
from newscrawl.replica import SiteArticle, synthetic_site

SITE = synthetic_site(300, seed=5)
STORIES = [a for a in SITE.articles if a.others_also_read]


def page(pages: ReplicaPages, article: SiteArticle) -> PageValues:
    return read_page_values(ORIGIN + article.path, pages.html(article))


def learn(learner: ListSourceLearner, pages: ReplicaPages, articles: list[SiteArticle]) -> None:
    for article in articles:
        plan = learner.plan(page(pages, article), article.url)
        assert plan.action == "render"
        learner.rendered(pages.observation(article), plan.purpose)


def test_learning_renders_a_few_stories_and_holds_the_rest_until_the_rule_is_known() -> None:
    pages = ReplicaPages(SITE, "remote")
    learner = ListSourceLearner(count=lambda _: None, learn_parallel=2)
    plans = [learner.plan(page(pages, a), a.url) for a in STORIES[:5]]
    assert [p.action for p in plans] == ["render", "render", "hold", "hold", "hold"]
    # A finished learning render frees its place: held stories may be planned again.
    assert learner.rendered(pages.observation(STORIES[0]), "learn") is True
    assert learner.plan(page(pages, STORIES[2]), STORIES[2].url) == Plan("render", "learn")
    learner.rendered(pages.observation(STORIES[1]), "learn")
    learner.rendered(pages.observation(STORIES[2]), "learn")
    assert learner.rule is not None
    assert learner.plan(page(pages, STORIES[3]), STORIES[3].url).action == "direct"


def test_one_story_in_sample_every_is_rendered_to_check_the_rule() -> None:
    pages = ReplicaPages(SITE, "api")
    events: list[str] = []
    learner = ListSourceLearner(count=events.append, sample_every=10)
    learn(learner, pages, STORIES[:3])
    actions = []
    for article in STORIES[3:73]:
        plan = learner.plan(page(pages, article), article.url)
        actions.append(plan.action)
        if plan.action == "render":
            assert plan.purpose == "check"
            learner.rendered(pages.observation(article), "check")
    # Checks after 10, then 20, then 40 stories: each agreement doubles the distance.
    assert [i for i, action in enumerate(actions) if action == "render"] == [9, 29, 69]
    assert events.count("check/agree") == 3
    assert learner.rule is not None


def test_an_endpoint_that_moved_is_caught_by_the_check_and_learned_again() -> None:
    before, after = ReplicaPages(SITE, "api"), ReplicaPages(SITE, "api", revision=1)
    events: list[str] = []
    learner = ListSourceLearner(count=events.append, sample_every=1)
    learn(learner, before, STORIES[:3])
    old = learner.rule
    plan = learner.plan(page(after, STORIES[3]), STORIES[3].url)
    assert plan == Plan("render", "check")
    learner.rendered(after.observation(STORIES[3]), "check")
    assert events[-3:] == ["check/disagree", "disagree", "dropped/disagree"]
    assert learner.rule is None
    # The disagreeing page was already the first lesson of the new endpoint.
    learn(learner, after, STORIES[4:6])
    assert learner.rule is not None and learner.rule != old
    assert "related-stories" in learner.rule.describe()


def test_a_failed_direct_fetch_drops_the_rule_and_a_stored_rule_is_checked_first() -> None:
    pages = ReplicaPages(SITE, "remote")
    learner = ListSourceLearner(count=lambda _: None)
    learn(learner, pages, STORIES[:3])
    rule = learner.rule
    assert rule is not None
    assert learner.take_change() is not None and learner.take_change() is None
    events: list[str] = []
    next_run = ListSourceLearner(rule, count=events.append)
    assert events == ["stored_rule"]
    assert next_run.plan(page(pages, STORIES[5]), STORIES[5].url) == Plan("render", "check")
    assert next_run.plan(page(pages, STORIES[6]), STORIES[6].url).action == "direct"
    next_run.direct_failed("HttpError", ListRule("fetch", "other"))
    assert next_run.rule is not None  # a replaced rule's failure says nothing of this one
    next_run.direct_failed("HttpError", rule)
    assert next_run.rule is None
    change = next_run.take_change()
    assert change is not None and change.rule is None


def test_inline_data_is_read_from_the_page_and_missing_data_drops_the_rule() -> None:
    pages = ReplicaPages(SITE, "inline")
    learner = ListSourceLearner(count=lambda _: None)
    learn(learner, pages, STORIES[:3])
    plan = learner.plan(page(pages, STORIES[4]), STORIES[4].url)
    assert plan.action == "inline"
    assert plan.links == pages.observation(STORIES[4]).rendered
    api_page = page(ReplicaPages(SITE, "api"), STORIES[5])
    assert learner.plan(api_page, STORIES[5].url) == Plan("render", "learn")
    assert learner.rule is None


def test_learning_gives_up_when_no_response_explains_the_list() -> None:
    pages = ReplicaPages(SITE, "api")
    events: list[str] = []
    learner = ListSourceLearner(count=events.append, learn_budget=4, learn_parallel=100)
    for article in STORIES[:4]:
        seen = pages.observation(article)
        # The list is there, but nothing the browser fetched holds it (a websocket, say).
        learner.plan(seen.page, article.url)
        learner.rendered(Observation(seen.page, seen.base, (), seen.rendered), "learn")
    assert learner.gave_up and events[-1] == "unlearnable"
    assert learner.plan(page(pages, STORIES[5]), STORIES[5].url) == Plan("render", "fallback")


def test_without_a_browser_nothing_is_held_or_checked() -> None:
    pages = ReplicaPages(SITE, "api")
    learner = ListSourceLearner(count=lambda _: None)
    learn(learner, pages, STORIES[:3])
    learner.browser_lost()
    plans = [learner.plan(page(pages, a), a.url).action for a in STORIES[3:120]]
    assert set(plans) == {"direct"}
    empty = ListSourceLearner(count=lambda _: None, browser=False)
    assert empty.plan(page(pages, STORIES[0]), STORIES[0].url) == Plan("render", "fallback")
