"""Lists a learned rule fetches from within the story's callback (``list_fetch``): a fetch that
fails or answers an error falls back to a render and loses no story; the stories held while the
rule was learned get their lists side by side, not one after another. Driven in-process
(``spider_glue``); the lists come from the replica's router, or fail as a test says."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from spider_glue import GlueRun, assert_every_list_whole

from newscrawl.origins import LIST_REQUEST
from newscrawl.replica import synthetic_site
from newscrawl.spiders.list_fetch import MAX_IN_FLIGHT

SITE = synthetic_site(90, seed=5)
FAKE_BROWSER = "/bin/true"  # the runs must think a browser exists, and never start it

Fetch = Callable[[Request], Awaitable[Response]]


@pytest.fixture
def run(tmp_path: Path) -> GlueRun:
    glue = GlueRun(SITE, tmp_path, FAKE_BROWSER)
    glue.start()
    return glue


def learn(run: GlueRun) -> None:
    """Plain pages until some stories wait for a rule, then the browser answers: learned."""
    while run.plain and len(run.renders) < 4:
        run.fetch_plain(1)
    run.answer_renders()
    assert run.stat("newscrawl/others/learned") == 1


def failing(run: GlueRun, times: int, answer: Callable[[Request], Response]) -> Fetch:
    """The glue's list fetch, failing the first ``times`` lists with ``answer``."""
    served = run._fetch_list
    failed = [0]

    async def fetch(request: Request) -> Response:
        if failed[0] < times:
            failed[0] += 1
            return answer(request)
        return await served(request)
    return fetch


def server_error(request: Request) -> Response:
    return TextResponse(request.url, status=500, body=b"oops", request=request)


def robots_refusal(request: Request) -> Response:
    raise IgnoreRequest("Forbidden by robots.txt")


def test_lists_come_by_the_rule_through_the_fetch_as_list_requests(run: GlueRun) -> None:
    learn(run)
    run.settle()
    direct = run.stat("newscrawl/others/direct")
    assert direct >= len(SITE.in_section()) // 2
    assert len(run.list_requests) == direct
    assert all(r.meta.get(LIST_REQUEST) and r.dont_filter for r in run.list_requests)
    # No list request went through the scheduler: the spider yielded none.
    assert not any("/api/" in r.url for r in run.plain)
    assert_every_list_whole(run)


@pytest.mark.parametrize(("answer", "reason"), [(server_error, "HttpError"),
                                                (robots_refusal, "IgnoreRequest")])
def test_a_list_fetch_that_fails_falls_back_to_a_render_and_loses_no_story(
        run: GlueRun, answer: Callable[[Request], Response], reason: str) -> None:
    learn(run)
    run.spider.others.fetcher.fetch = failing(run, 3, answer)
    run.settle()
    assert run.stat(f"newscrawl/others/direct_failed/{reason}") >= 1
    assert run.stat("newscrawl/others/render/fallback") >= 1
    assert run.stat("newscrawl/others/direct") >= 1  # learned again, then by the rule
    assert_every_list_whole(run)


def test_held_stories_get_their_lists_side_by_side(run: GlueRun) -> None:
    in_flight, most = [0], [0]
    served = run._fetch_list

    async def fetch(request: Request) -> Response:
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        await asyncio.sleep(0)  # the others start meanwhile, as they would on a network
        in_flight[0] -= 1
        return await served(request)

    run.spider.others.fetcher.fetch = fetch
    while run.plain:  # every story read and held: the browser has not answered yet
        run.fetch_plain()
    held = run.held()
    assert held > MAX_IN_FLIGHT
    run.settle()
    assert most[0] == MAX_IN_FLIGHT
    assert_every_list_whole(run)
