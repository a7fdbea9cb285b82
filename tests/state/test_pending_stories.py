"""Pending stories in the SQLite store: remembered, retried with backoff, given up, re-queued,
and removed by the commit that publishes them. A store of schema 1 is migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newscrawl.state.pending import PendingStories, RetryPolicy
from newscrawl.state.sqlite_file import SCHEMA_VERSION
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StoredStory
from newscrawl.urls import SECTION_URL, story_id

NOW = "2026-11-27T00:00:00+00:00"


def url(n: int) -> str:
    return f"{SECTION_URL}/2026/02/12/story-number-{n}"


def stored(n: int) -> StoredStory:
    return StoredStory(id=story_id(url(n)), url=url(n), content_hash=f"h{n}", signature=None,
                       signature_kind=None, field_digests={}, duplicate_of=None,
                       published_at="2026-02-12T10:00:00+08:00", modified_at=None,
                       first_seen=NOW, last_seen=NOW, version=1)


def run(store: SqliteStateStore, policy: RetryPolicy, *, fail: tuple[int, ...] = (),
        meet: tuple[int, ...] = (), publish: tuple[int, ...] = ()) -> PendingStories:
    """One run that requests what is due and what it meets, with these outcomes."""
    pending = PendingStories.for_run(store, policy, stored=frozenset())
    requested = [e.url for e in pending.due()] + [url(n) for n in meet]
    for target in requested:
        if pending.wants(target):
            pending.admitted(target, "listing", SECTION_URL, NOW)
    for n in fail:
        pending.failed(url(n), "http-500")
    for n in publish:
        pending.emitted(url(n))
        store.stage(stored(n))
    store.commit("run", [story_id(url(n)) for n in publish])
    pending.save(store, NOW)
    return pending


@pytest.fixture
def store(tmp_path: Path) -> SqliteStateStore:
    opened = SqliteStateStore(tmp_path / "state.sqlite")
    opened.begin_run("run", NOW)
    return opened


def test_a_failed_story_is_retried_by_the_next_run_and_published(
        store: SqliteStateStore) -> None:
    policy = RetryPolicy(give_up_runs=5)
    first = run(store, policy, meet=(1, 2), fail=(1,), publish=(2,))
    assert first.summary(NOW).left_new == 1
    second = PendingStories.for_run(store, policy, stored=frozenset())
    assert [e.url for e in second.due()] == [url(1)]
    entry = second.due()[0]
    assert (entry.attempts, entry.last_error, entry.given_up) == (1, "http-500", None)
    second.admitted(url(1), "listing", SECTION_URL, NOW)
    second.emitted(url(1))
    assert second.summary(NOW).published == 1
    store.stage(stored(1))
    store.commit("run", [story_id(url(1))])  # publishing removes it, in the same transaction
    assert store.begin_pending()[1] == []


def test_backoff_doubles_across_runs_then_the_story_is_given_up(
        store: SqliteStateStore) -> None:
    policy = RetryPolicy(give_up_runs=4)
    tried: list[bool] = []
    for _ in range(8):  # runs 1..8: fails whenever tried
        pending = PendingStories.for_run(store, policy, stored=frozenset())
        due = pending.due()
        first = pending.run == 1
        tried.append(first or bool(due))
        run_meets = (7,) if first else ()
        for target in [e.url for e in due] + [url(n) for n in run_meets]:
            if pending.wants(target):
                pending.admitted(target, "listing", SECTION_URL, NOW)
        if tried[-1]:
            pending.failed(url(7), "timeout")
        pending.save(store, NOW)
    # Tried in runs 1, 2, 4 and 8 (waits of 1, 2 and 4 runs), given up after the 4th failure.
    assert tried == [True, True, False, True, False, False, False, True]
    stats = store.stats()
    assert stats.pending == 0
    assert [(e.url, e.attempts, e.last_error) for e in stats.given_up] == [(url(7), 4, "timeout")]
    after = PendingStories.for_run(store, policy, stored=frozenset())
    assert after.due() == [] and not after.wants(url(7))  # never fetched again...
    assert store.requeue_given_up() == 1  # ...until re-queued
    again = PendingStories.for_run(store, policy, stored=frozenset())
    assert [e.url for e in again.due()] == [url(7)] and again.due()[0].attempts == 0


def test_a_story_met_again_while_waiting_is_not_fetched(store: SqliteStateStore) -> None:
    policy = RetryPolicy(give_up_runs=5)
    run(store, policy, meet=(3,), fail=(3,))
    run(store, policy, fail=(3,))  # 2nd failure: waits 2 runs
    third = PendingStories.for_run(store, policy, stored=frozenset())
    assert third.due() == [] and not third.wants(url(3))
    assert third.summary(NOW).left_old == 1  # still owed: not a healthy run


def test_settled_and_unreached_stories(store: SqliteStateStore) -> None:
    policy = RetryPolicy()
    pending = PendingStories.for_run(store, policy, stored=frozenset())
    for n in (1, 2):
        pending.admitted(url(n), "rss", SECTION_URL, NOW)
    pending.settled(url(1), "out-of-section")  # holds no story of the section: forgotten
    pending.save(store, NOW)  # 2 was never reached (run cut short): due next, no attempt
    entries = store.begin_pending()[1]
    assert [(e.url, e.attempts, e.via) for e in entries] == [(url(2), 0, "rss")]


def test_stored_stories_are_never_pending(store: SqliteStateStore) -> None:
    store.stage(stored(5))
    store.commit("run", [story_id(url(5))])
    pending = PendingStories.for_run(store, RetryPolicy(), stored={story_id(url(5))})
    pending.admitted(url(5), "listing", SECTION_URL, NOW)  # a revisit
    pending.failed(url(5), "http-500")
    assert pending.save(store, NOW) == 0


def test_a_quarantined_page_counts_as_a_try_apart_from_fetch_failures(
        store: SqliteStateStore) -> None:
    pending = PendingStories.for_run(store, RetryPolicy(), stored=frozenset())
    pending.admitted(url(1), "listing", SECTION_URL, NOW)
    pending.quarantined(url(1), "parse: no-headline")
    summary = pending.summary(NOW)
    assert (summary.left, summary.quarantined, summary.left_new) == (1, 1, 0)
    pending.save(store, NOW)
    (entry,) = store.begin_pending()[1]
    assert (entry.quarantined, entry.attempts, entry.last_error) == (
        True, 1, "parse: no-headline")


def test_a_schema_1_file_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = SqliteStateStore(path)
    store.stage(stored(1))
    store.begin_run("old", NOW)
    store.commit("old", [story_id(url(1))])
    store.close()
    with sqlite3.connect(path) as db:  # back to what schema 1 was
        db.execute("DROP TABLE pending")
        db.execute("DROP TABLE counters")
        db.execute("DROP TABLE walks")
        db.execute("PRAGMA user_version = 1")
    db.close()
    migrated = SqliteStateStore(path)
    assert migrated.stats().stories == 1 and migrated.stats().pending == 0
    assert migrated.begin_pending() == (1, [])
    migrated.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    db.close()


def test_a_schema_2_file_keeps_its_stop_point_as_the_default_sections(tmp_path: Path) -> None:
    from newscrawl.sections import SECTIONS_BY_KEY

    path = tmp_path / "old.sqlite"
    store = SqliteStateStore(path)
    store.begin_run("old", NOW)
    store.stage(stored(1))
    store.commit("old", [story_id(url(1))])
    store.finish_run("old", NOW, "ok")
    store.close()
    with sqlite3.connect(path) as db:  # back to what schema 2 was: the ok run was the point
        db.execute("DROP TABLE walks")
        db.execute("PRAGMA user_version = 2")
    db.close()
    migrated = SqliteStateStore(path)
    try:
        assert migrated.catch_up_story() == (story_id(url(1)), stored(1).published_at)
        assert migrated.catch_up_story(SECTIONS_BY_KEY["news/nation"]) is None
    finally:
        migrated.close()
