"""KnownStories: which links a run fetches again, and where its listing walk may stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.config import ConfigError, NewscrawlConfig
from newscrawl.spiders.known_stories import KnownStories
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StoredStory
from newscrawl.urls import SITE_ORIGIN, story_id

NOW = datetime.fromisoformat("2026-02-22T12:00:00+08:00")


def url(day: str, slug: str) -> str:
    return f"{SITE_ORIGIN}/aseanplus/aseanplus-news/{day.replace('-', '/')}/{slug}"


def story(link: str, published: str, first_seen: str) -> StoredStory:
    return StoredStory(
        id=story_id(link), url=link, content_hash=link, signature=None, signature_kind=None,
        field_digests={}, duplicate_of=None, published_at=published, modified_at=None,
        first_seen=first_seen, last_seen=first_seen, version=1,
    )


OLD = url("2026-01-06", "old")
RECENT = url("2026-02-21", "recent")
NEWER = url("2026-02-21", "newer")
UNKNOWN = url("2026-02-22", "unknown")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStateStore]:
    opened = SqliteStateStore(tmp_path / "state.sqlite")
    yield opened
    opened.close()


def run(store: SqliteStateStore, run_id: str, status: str, *stories: StoredStory) -> None:
    finished = max(s.first_seen for s in stories).replace("T00", "T01")
    store.begin_run(run_id, stories[0].first_seen)
    for item in stories:
        store.stage(item)
    store.commit(run_id, [s.id for s in stories])
    store.finish_run(run_id, finished, status)  # type: ignore[arg-type]


def load(store: SqliteStateStore, revisit_days: float = 2) -> KnownStories:
    return KnownStories.load(store, now=NOW, revisit_days=revisit_days)


def test_unknown_is_fetched_recent_is_revisited_older_is_not(store: SqliteStateStore) -> None:
    run(store, "r1", "ok", story(OLD, "2026-01-06T11:10:00+08:00", "2026-01-07T00:00:00Z"),
        story(RECENT, "2026-02-21T09:00:00+08:00", "2026-02-21T00:00:00Z"))
    known = load(store)
    assert [known.verdict(u) for u in (UNKNOWN, RECENT, OLD)] == ["new", "revisit", "known"]
    assert load(store, revisit_days=0).verdict(RECENT) == "known"


def test_a_first_run_knows_nothing_and_walks_to_the_end(store: SqliteStateStore) -> None:
    known = load(store)
    assert len(known) == 0 and known.caught_up
    assert known.note_listing([UNKNOWN, OLD]) is False


def test_a_page_of_known_stories_stops_the_walk_once_past_the_catch_up_story(
        store: SqliteStateStore) -> None:
    run(store, "r1", "ok", story(OLD, "2026-01-06T11:10:00+08:00", "2026-01-07T00:00:00Z"),
        story(RECENT, "2026-02-21T09:00:00+08:00", "2026-02-21T00:00:00Z"))
    # A later run was cut short after storing the newest story: it is not the catch-up story.
    run(store, "r2", "incomplete", story(NEWER, "2026-02-21T20:00:00+08:00",
                                         "2026-02-22T00:00:00Z"))
    assert store.catch_up_story() == (story_id(RECENT), "2026-02-21T09:00:00+08:00")
    known = load(store)
    assert known.caught_up is False
    assert known.note_listing([NEWER]) is True  # all known, but not there yet: page on
    assert known.caught_up is False
    assert known.note_listing([UNKNOWN, RECENT]) is False
    assert known.caught_up is True
    assert known.note_listing([OLD]) is True


def test_a_catch_up_story_no_longer_listed_is_passed_by_date(store: SqliteStateStore) -> None:
    run(store, "r1", "ok", story(OLD, "2026-01-06T11:10:00+08:00", "2026-01-07T00:00:00Z"),
        story(RECENT, "2026-02-21T09:00:00+08:00", "2026-02-21T00:00:00Z"))
    known = load(store)
    assert known.note_listing([UNKNOWN]) is False and not known.caught_up
    # Unknown stories dated before the catch-up story, and a known older one: it is gone.
    assert known.note_listing([url("2026-02-20", "x"), OLD]) is False
    assert known.caught_up


def test_without_a_successful_run_known_pages_never_stop_the_walk(
        store: SqliteStateStore) -> None:
    run(store, "r1", "incomplete", story(OLD, "2026-01-06T11:10:00+08:00",
                                         "2026-01-07T00:00:00Z"))
    known = load(store)
    assert known.catch_up is None
    assert known.note_listing([OLD]) is True
    assert known.caught_up is False


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-02-22T12:00:00+08:00", NOW),
    ("2026-02-22T04:00:00", NOW),  # no offset: UTC
    ("2026-02-22", datetime.fromisoformat("2026-02-22T00:00:00+00:00")),
])
def test_now_setting_is_read_once_into_the_config(raw: str, expected: datetime) -> None:
    assert NewscrawlConfig.from_settings(Settings({"NEWSCRAWL_NOW": raw})).now == expected


def test_now_defaults_to_the_clock_and_a_bad_value_names_the_setting() -> None:
    before = datetime.now(UTC)
    assert before <= NewscrawlConfig.from_settings(Settings()).now <= datetime.now(UTC)
    with pytest.raises(ConfigError, match="NEWSCRAWL_NOW='yesterday'"):
        NewscrawlConfig.from_settings(Settings({"NEWSCRAWL_NOW": "yesterday"}))


def test_each_section_walks_to_its_own_catch_up_story(store: SqliteStateStore) -> None:
    from newscrawl.sections import ASEANPLUS, SECTIONS_BY_KEY

    nation = SECTIONS_BY_KEY["news/nation"]
    nation_old = f"{SITE_ORIGIN}/news/nation/2026/01/06/old"
    run(store, "r1", "ok", story(OLD, "2026-01-06T11:10:00+08:00", "2026-01-07T00:00:00Z"),
        story(RECENT, "2026-02-21T09:00:00+08:00", "2026-02-21T00:00:00Z"))
    # Nation is crawled for the first time: Aseanplus News's point is no point of Nation's.
    known = KnownStories.load(store, now=NOW, revisit_days=2, sections=(ASEANPLUS, nation))
    assert known.walks[ASEANPLUS].catch_up is not None
    assert known.walks[nation].catch_up is None
    assert known.note_listing([RECENT], ASEANPLUS) is True
    assert known.is_caught_up(ASEANPLUS) and not known.is_caught_up(nation)
    assert known.note_listing([OLD], nation) is True  # all known, yet Nation pages on
    assert not known.is_caught_up(nation)
    store.begin_run("r2", "2026-02-22T00:00:00Z")
    store.stage(story(nation_old, "2026-01-06T12:00:00+08:00", "2026-02-22T00:00:00Z"))
    store.commit("r2", [story_id(nation_old)])
    store.finish_run("r2", "2026-02-22T01:00:00Z", "ok", walked=[nation.key])
    again = KnownStories.load(store, now=NOW, revisit_days=2, sections=(ASEANPLUS, nation))
    assert again.walks[nation].catch_up is not None
    assert again.walks[nation].catch_up.id == story_id(nation_old)
    assert again.note_listing([nation_old], nation) is True and again.is_caught_up(nation)
