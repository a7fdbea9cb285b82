"""Two sections crawled by two workers at once: every story of both published exactly once,
and each section's stop point shared, so the next runs of workers fetch only what is new and
page back no further than each section's own known stories."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from crawling import listed_in
from redis_server import RedisServer
from site_edits import add_story, copy_site
from workers import Crawl, published_twice

from newscrawl.replica import ReplicaServer, load_site
from newscrawl.replica.sections import SECTIONS_BY_PATH

pytestmark = pytest.mark.e2e

ASEANPLUS, NATION = "/aseanplus/aseanplus-news", "/news/nation"
SECTIONS = f"section={ASEANPLUS[1:]},{NATION[1:]}"
NOW = "NEWSCRAWL_NOW=2026-02-22T12:00:00+08:00"
NEW_TEXT = ["KUALA LUMPUR: A new story published between the two runs, long enough to pass "
            "the crawl's checks on a story's body, said the officials who announced it.",
            "The second paragraph says more about it, as every story on the site does. - Bernama"]


def test_two_workers_crawl_two_sections_each_story_once_and_stop_per_section(
        tmp_path: Path, redis_server: RedisServer) -> None:
    site = copy_site(tmp_path / "site")
    replica_site = load_site(site)
    truth = listed_in(replica_site, ASEANPLUS) | listed_in(replica_site, NATION)
    assert listed_in(replica_site, NATION) - listed_in(replica_site, ASEANPLUS)
    with ReplicaServer(replica_site) as replica:
        first = Crawl(tmp_path, replica.origin, redis_server.url, "first", settings=(NOW,),
                      spider="thestar", arguments=(SECTIONS,))
        first.wait_all([first.start("w1"), first.start("w2")])
    records = first.records()
    assert records, "the workers published nothing"
    assert published_twice(records) == {}
    assert {r["url"] for r in records} == truth
    # Not asserted here: that both workers published. This site is a few dozen stories, and on
    # a loaded machine one worker can crawl all of them while the other is still importing;
    # the sharing is asserted on 2,000 stories (test_shared_crawl.py).

    new = {add_story(site, f"a-new-story-of-{path.rsplit('/', 1)[1]}",
                     "2026-02-22T08:10:00+08:00", f"A new story in {path}", NEW_TEXT,
                     SECTIONS_BY_PATH[path]) for path in (ASEANPLUS, NATION)}
    with ReplicaServer(load_site(site)) as replica:
        second = Crawl(tmp_path, replica.origin, redis_server.url, "second", settings=(NOW,),
                       spider="thestar", arguments=(SECTIONS,))
        second.wait_all([second.start("w1"), second.start("w2")])
        requests = replica.requests()
    again = second.records()
    assert sorted(urlsplit(str(r["url"])).path for r in again) == sorted(new)
    assert published_twice(records + again) == {}
    # Nothing was fetched twice by the workers together (robots.txt aside, one per worker).
    assert all(n == 1 for path, n in requests.items() if path != "/robots.txt")
    # Besides the new stories, only pages the store says to look at again: known stories
    # inside the revisit window and the bad pages the first run left pending.
    story_pages = {p for p in requests if p.count("/") > 3}
    assert new <= story_pages
    assert len(story_pages - new) < len(records) / 2

    # Nothing new: each section's walk stops on its first page, at its own known stories,
    # whichever worker read that page.
    with ReplicaServer(load_site(site)) as replica:
        third = Crawl(tmp_path, replica.origin, redis_server.url, "third", settings=(NOW,),
                      spider="thestar", arguments=(SECTIONS,))
        third.wait_all([third.start("w1"), third.start("w2")])
    assert third.records() == []
    stops = {key: {s[f"newscrawl/listing_stop/{key}"] for s in third.stats()
                   if f"newscrawl/listing_stop/{key}" in s}
             for key in (ASEANPLUS[1:], NATION[1:])}
    assert stops == {ASEANPLUS[1:]: {"only known stories"}, NATION[1:]: {"only known stories"}}
    assert sum(s.get("newscrawl/listing_pages", 0) for s in third.stats()) == 2
