from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newscrawl.state.sqlite_file import SCHEMA_VERSION
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StateError, StoredStory

RUN = "20261127T000000Z"


def stored(story_id: str = "a" * 16, **fields: object) -> StoredStory:
    values: dict[str, object] = {
        "id": story_id,
        "url": f"https://www.thestar.com.my/aseanplus/aseanplus-news/2026/02/12/{story_id}",
        "content_hash": "c" * 64,
        "signature": b"\x01\x02" * 4,
        "signature_kind": "minhash/test",
        "field_digests": {"title": "t1", "body": "b1"},
        "duplicate_of": None,
        "published_at": "2026-02-12T10:15:00+08:00",
        "modified_at": None,
        "first_seen": "2026-02-13T00:00:00.000000+00:00",
        "last_seen": "2026-02-13T00:00:00.000000+00:00",
        "version": 1,
    }
    values.update(fields)
    return StoredStory(**values)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStateStore]:
    opened = SqliteStateStore(tmp_path / "state" / "state.sqlite")
    opened.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    yield opened
    opened.close()


def test_a_new_file_is_created_in_wal_mode_with_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "new" / "state.sqlite"
    SqliteStateStore(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_staged_stories_are_invisible_until_committed(store: SqliteStateStore) -> None:
    story = stored()
    store.stage(story)
    assert store.get(story.id) is None
    assert store.commit(RUN, [story.id]) == 1
    assert store.get(story.id) == story
    assert store.commit(RUN, [story.id]) == 0  # a commit consumes the staged copy


def test_a_story_staged_again_is_committed_as_last_staged(store: SqliteStateStore) -> None:
    story = stored()
    store.stage(story)
    store.stage(replace(story, version=2, content_hash="e" * 64))
    assert store.staged_count == 1
    assert store.commit(RUN, [story.id, story.id]) == 1
    assert store.get(story.id) == replace(story, version=2, content_hash="e" * 64)


def test_staged_stories_stay_with_the_connection_that_staged_them(tmp_path: Path) -> None:
    # Staged rows live in the connection's temporary database: another process sees none of
    # them, and they do not outlive the store (a killed run's staged stories are not kept).
    path = tmp_path / "state.sqlite"
    first = SqliteStateStore(path)
    first.stage(stored())
    other = SqliteStateStore(path)
    assert other.staged_count == 0
    assert other.commit(RUN, [stored().id]) == 0
    other.close()
    first.close()
    reopened = SqliteStateStore(path)
    assert reopened.staged_count == 0 and reopened.get(stored().id) is None
    reopened.close()


def test_commit_writes_only_the_named_stories(store: SqliteStateStore) -> None:
    first, second = stored("1" * 16), stored("2" * 16)
    store.stage(first)
    store.stage(second)
    store.commit(RUN, [second.id, "f" * 16])
    assert store.get(first.id) is None
    assert store.get(second.id) == second
    assert store.discard_staged() == 1


def test_a_new_version_keeps_first_seen(store: SqliteStateStore) -> None:
    story = stored()
    store.stage(story)
    store.commit(RUN, [story.id])
    newer = replace(
        story,
        version=2,
        first_seen="2026-11-27T00:00:00.000000+00:00",
        last_seen="2026-11-27T00:00:00.000000+00:00",
        content_hash="d" * 64,
    )
    store.stage(newer)
    store.commit(RUN, [story.id])
    got = store.get(story.id)
    assert got is not None
    assert (got.version, got.content_hash, got.last_seen) == (2, "d" * 64, newer.last_seen)
    assert got.first_seen == story.first_seen


def test_lookups_by_content_hash_and_recent_signatures(store: SqliteStateStore) -> None:
    old = stored(
        "1" * 16,
        published_at="2025-01-01T00:00:00+08:00",
        first_seen="2025-01-02T00:00:00.000000+00:00",
    )
    new = stored("2" * 16, first_seen="2026-02-13T00:00:00.000000+00:00")
    other = stored("3" * 16, content_hash="e" * 64, signature_kind="minhash/other")
    for story in (new, old, other):
        store.stage(story)
    store.commit(RUN, [new.id, old.id, other.id])
    assert store.ids_with_content_hash("c" * 64) == [
        (old.id, old.first_seen),
        (new.id, new.first_seen),
    ]
    recent = list(store.signatures("minhash/test", "2026-01-01T00:00:00+08:00"))
    assert [(r.id, r.signature) for r in recent] == [(new.id, new.signature)]


def test_one_lookup_answers_what_get_and_the_content_hash_answer(store: SqliteStateStore) -> None:
    # Same first_seen for two: ties go by id, as ids_with_content_hash orders them.
    seen = "2026-02-13T00:00:00.000000+00:00"
    stories = [stored("4" * 16, first_seen=seen), stored("1" * 16, first_seen=seen),
               stored("2" * 16, first_seen="2025-01-02T00:00:00.000000+00:00"),
               stored("3" * 16, content_hash="e" * 64)]
    for story in stories:
        store.stage(story)
    store.commit(RUN, [story.id for story in stories])
    for story_id in ("1" * 16, "3" * 16, "f" * 16):
        for digest in ("c" * 64, "e" * 64, "0" * 64):
            found = store.lookup(story_id, digest)
            assert found.stored == store.get(story_id)
            assert found.same_content == store.ids_with_content_hash(digest)
    assert [sid for sid, _ in store.lookup("3" * 16, "c" * 64).same_content] == [
        "2" * 16, "1" * 16, "4" * 16]


def test_runs_record_the_newest_committed_story(store: SqliteStateStore) -> None:
    assert store.last_successful_run() is None
    older = stored("1" * 16, published_at="2026-02-11T08:00:00+08:00")
    newer = stored("2" * 16, published_at="2026-02-12T08:00:00+08:00")
    store.stage(newer)
    store.commit(RUN, [newer.id])
    store.stage(older)
    store.commit(RUN, [older.id])
    store.finish_run(RUN, "2026-11-27T01:00:00+00:00", "ok")
    run = store.last_successful_run()
    assert run is not None
    assert (run.run_id, run.status, run.stories_committed) == (RUN, "ok", 2)
    assert (run.newest_story_id, run.newest_published_at) == (newer.id, newer.published_at)


def test_an_incomplete_run_is_not_the_last_successful_one(store: SqliteStateStore) -> None:
    store.finish_run(RUN, "2026-11-27T01:00:00+00:00", "ok")
    store.begin_run("later", "2026-11-28T00:00:00+00:00")
    store.finish_run("later", "2026-11-28T01:00:00+00:00", "incomplete")
    run = store.last_successful_run()
    assert run is not None and run.run_id == RUN


def test_touch_updates_last_seen_only(store: SqliteStateStore) -> None:
    story = stored()
    store.stage(story)
    store.commit(RUN, [story.id])
    store.touch([story.id], "2026-11-27T05:00:00.000000+00:00")
    assert store.get(story.id) == replace(story, last_seen="2026-11-27T05:00:00.000000+00:00")


def test_stats_and_reset(store: SqliteStateStore) -> None:
    store.stage(stored("1" * 16, version=3))
    store.stage(stored("2" * 16, duplicate_of="1" * 16))
    store.commit(RUN, ["1" * 16, "2" * 16])
    stats = store.stats()
    assert (stats.stories, stats.revised_stories, stats.duplicates, stats.runs) == (2, 1, 1, 1)
    assert stats.size_bytes > 0
    store.reset()
    after = store.stats()
    assert (after.stories, after.runs) == (0, 0)


def test_a_store_reopens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    first = SqliteStateStore(path)
    first.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    first.stage(stored())
    first.commit(RUN, ["a" * 16])
    first.close()
    again = SqliteStateStore(path)
    assert again.get("a" * 16) == stored()
    again.close()


# --- files that must never be overwritten -------------------------------------------------


def _refused(path: Path, *words: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StateError) as raised:
        SqliteStateStore(path)
    message = str(raised.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b'{"not": "a database"}\n' * 50)
    _refused(path, "not a SQLite database", "NEWSCRAWL_STATE")


def test_a_truncated_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = SqliteStateStore(path)
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    for n in range(300):
        store.stage(stored(f"{n:016x}", signature=bytes(512)))
    store.commit(RUN, [f"{n:016x}" for n in range(300)])
    store.close()
    data = path.read_bytes()
    assert len(data) > 8192
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "corrupt")


def test_a_damaged_page_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = SqliteStateStore(path)
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    for n in range(300):
        store.stage(stored(f"{n:016x}", signature=bytes(512)))
    store.commit(RUN, [f"{n:016x}" for n in range(300)])
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 3] = b"\xa5" * page  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    SqliteStateStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    _refused(path, "newer newscrawl", f"schema {SCHEMA_VERSION + 1}")


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
    _refused(path, "another program", "invoices")


def test_an_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.touch()
    SqliteStateStore(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="is a directory"):
        SqliteStateStore(tmp_path)
