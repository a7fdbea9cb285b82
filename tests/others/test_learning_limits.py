"""While the list's rule is learned the spider holds stories back: how many, and that none loses
its list. Driven in-process (``spider_glue``): the test decides when the browser answers, so
learning lasts as long as the test wants, with no timing involved. The hold budget is the
production ``HeldStories`` with a story count a small site reaches (the byte budget is tested in
``test_held_stories``); the tests hold for any budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from spider_glue import GlueRun, assert_every_list_whole

from newscrawl.replica import synthetic_site
from newscrawl.replica.listing_render import PAGE_SIZE
from newscrawl.spiders.held_stories import HOLD_BYTES, HeldStories

# Stories held at most while learning, in these runs.
HOLD_LIMIT = 96
# Comfortably more listed stories than may be held.
SITE = synthetic_site(2 * HOLD_LIMIT + 40, seed=4)
# Any executable: these runs must think a browser exists, and never start it.
FAKE_BROWSER = "/bin/true"


@pytest.fixture
def run(tmp_path: Path) -> GlueRun:
    glue = GlueRun(SITE, tmp_path, FAKE_BROWSER,
                   held=HeldStories(max_bytes=HOLD_BYTES, max_stories=HOLD_LIMIT))
    glue.start()
    assert glue.spider.rendering and glue.spider.others.learner is not None
    return glue


def learn_until_the_limit(run: GlueRun) -> tuple[int, int]:
    """Fetch pages one at a time while no render answers; the most held at once, and the
    stories out when the hold limit was first reached."""
    most_held, out_at_limit = 0, -1
    while run.plain:
        before = run.stories_out
        run.fetch_plain(1)
        assert run.spider.others.learner is not None and run.spider.others.learner.learning
        if out_at_limit >= 0:  # at the limit, no new story request goes out
            assert run.stories_out <= before
        held = run.held()
        most_held = max(most_held, held)
        if held >= HOLD_LIMIT and out_at_limit < 0:
            out_at_limit = run.stories_out
    return most_held, out_at_limit


def test_held_stories_are_bounded_while_learning_and_counted(run: GlueRun) -> None:
    assert len(SITE.in_section()) > HOLD_LIMIT + 100  # more than may be held
    most_held, out_at_limit = learn_until_the_limit(run)
    assert most_held >= HOLD_LIMIT, "the hold limit was never reached"
    # Once the limit is reached only the requests already out may add to the held stories.
    assert most_held <= HOLD_LIMIT + out_at_limit
    assert run.stat("newscrawl/others/held") == run.held() == most_held
    # The stories beyond wait as requests, not as pages: none of them was fetched yet.
    waiting = run.deferred()
    assert waiting > 0 and run.stat("newscrawl/others/deferred") >= waiting
    assert run.items == []  # no story went out without its list


def test_while_learning_the_plain_crawl_is_not_throttled(run: GlueRun) -> None:
    """Until the hold budget is reached, every story a listing page shows is requested at once,
    as without a learner: learning costs the crawl no speed (it once went at 4 requests)."""
    learn_until_the_limit(run)
    assert run.max_stories_out >= PAGE_SIZE  # a whole listing page's stories out at once


def test_no_list_is_lost_when_a_rule_is_learned_at_the_limit(run: GlueRun) -> None:
    learn_until_the_limit(run)
    assert run.renders, "nothing rendered to learn from"
    run.settle()
    assert run.stat("newscrawl/others/learned") == 1
    # The held stories got their lists by the rule, without the browser.
    assert run.stat("newscrawl/others/direct") >= HOLD_LIMIT
    assert_every_list_whole(run)


def test_no_list_is_lost_when_nothing_can_be_learned_at_the_limit(run: GlueRun) -> None:
    learn_until_the_limit(run)
    run.settle(capture=False)  # the browser shows lists, but not where they came from
    assert run.stat("newscrawl/others/learned") == 0
    assert run.stat("newscrawl/others/direct") == 0
    assert run.stat("newscrawl/others/rendered") >= len(SITE.in_section())
    assert_every_list_whole(run)


def test_held_stories_go_out_at_idle_when_the_browser_went_away(run: GlueRun) -> None:
    """A browser lost with stories held and no render left to answer: at idle every held story
    still goes out (without its list, counted), none is dropped by the idle handler, which can
    only send requests."""
    learn_until_the_limit(run)
    held = run.held()
    assert held > 0
    # The browser answers nothing more; its renders in flight are not this test's concern
    # (their failure is, elsewhere).
    in_browser = {request.cb_kwargs["story"].url for request in run.renders}
    run.renders.clear()
    run.spider.rendering = False
    assert run.spider.others.learner is not None
    run.spider.others.learner.browser_lost()
    run.idle()  # nothing in flight: the spider is idle
    run.settle()
    assert run.stat("newscrawl/others/released_at_idle") == held
    records = [ItemAdapter(item).asdict() for item in run.items]
    urls = [record["url"] for record in records]
    assert len(urls) == len(set(urls))
    assert set(urls) >= {a.url for a in SITE.in_section() if not a.is_gallery} - in_browser
    assert all(r["related"]["others_also_read"] == [] for r in records)
    assert run.held() == 0 and run.deferred() == 0
