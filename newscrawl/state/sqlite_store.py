"""The default state store: one SQLite file in WAL mode (``NEWSCRAWL_STATE``).

How the file is checked and created is in ``sqlite_file``. During a run every read is a
primary-key or index lookup; writes happen in a few transactions (one per stored feed slot).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from newscrawl.json_text import json_bytes
from newscrawl.sections import DEFAULT_SECTION, Section
from newscrawl.state import sqlite_pending
from newscrawl.state.list_rules import SqliteListRuleStore
from newscrawl.state.sqlite_file import RESET_HINT, SCHEMA_VERSION, open_state_file
from newscrawl.state.sqlite_staging import STORY_COLUMNS, SqliteStaging
from newscrawl.state.store import (
    PendingEntry,
    RunRecord,
    RunStatus,
    SectionWalk,
    SignatureRow,
    StateError,
    StoredStory,
    StoreStats,
    StoryLookup,
    walked_sections,
)
from newscrawl.urls import story_url_prefix

_RUN_COLUMNS: Final = (
    "run_id, started_at, finished_at, status, stories_committed, newest_published_at, "
    "newest_story_id"
)
_LOOKUP: Final = (
    f"SELECT {STORY_COLUMNS} FROM stories WHERE id = ? UNION ALL "
    "SELECT id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, first_seen, NULL, NULL "
    "FROM stories WHERE content_hash = ?"
)
_STATUSES: Final[dict[str, RunStatus]] = {
    "running": "running",
    "ok": "ok",
    "incomplete": "incomplete",
}


class SqliteStateStore:
    """``StateStore`` on one SQLite file. Not thread-safe: the crawl uses it from one thread."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db = open_state_file(path)
        # Out of Python's memory: a first run stages every story it emits (sqlite_staging).
        self._staged = SqliteStaging(self._db)

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def path(self) -> Path:
        return self._path

    def get(self, story_id: str) -> StoredStory | None:
        row = self._read(f"SELECT {STORY_COLUMNS} FROM stories WHERE id = ?",
                         (story_id,)).fetchone()
        return _story(row) if row else None

    def ids_with_content_hash(self, content_hash: str) -> list[tuple[str, str]]:
        rows = self._read(
            "SELECT id, first_seen FROM stories WHERE content_hash = ? ORDER BY first_seen, id",
            (content_hash,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def lookup(self, story_id: str, content_hash: str) -> StoryLookup:
        # One statement instead of ``get`` and ``ids_with_content_hash`` (the dedupe pipeline
        # asks both of every story): the story's row, then ``(id, first_seen)`` of the stories
        # with its content hash, told apart by their NULL url (a column never NULL).
        rows = self._read(_LOOKUP, (story_id, content_hash)).fetchall()
        stored = _story(rows[0]) if rows and rows[0][1] is not None else None
        same = sorted((row[9], row[0]) for row in rows if row[1] is None)
        return StoryLookup(stored, [(sid, first_seen) for first_seen, sid in same])

    def signatures(self, kind: str, published_since: str) -> Iterator[SignatureRow]:
        cursor = self._read(
            "SELECT id, first_seen, signature FROM stories "
            "WHERE signature_kind = ? AND published_at >= ? AND signature IS NOT NULL",
            (kind, published_since),
        )
        for row in cursor:
            yield SignatureRow(row[0], row[1], bytes(row[2]))

    def known_stories(self) -> Iterator[tuple[str, str]]:
        # The published_at index holds the id too: the table itself is not read.
        for row in self._read("SELECT id, published_at FROM stories"):
            yield row[0], row[1]

    def catch_up_story(self, section: Section = DEFAULT_SECTION) -> tuple[str, str] | None:
        # Newest first along the published_at index: the first rows of the section qualify.
        prefix = story_url_prefix(section)
        row = self._read(
            "SELECT id, published_at FROM stories WHERE substr(url, 1, ?) = ? AND first_seen <= "
            "(SELECT finished_at FROM walks WHERE section = ?) "
            "ORDER BY published_at DESC, id DESC LIMIT 1",
            (len(prefix), prefix, section.key),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def unfinished_runs(self) -> list[str]:
        rows = self._read(
            "SELECT run_id FROM runs WHERE status = 'running' ORDER BY started_at, run_id"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def stage(self, story: StoredStory) -> None:
        try:
            self._staged.stage(_row(story))
        except sqlite3.DatabaseError as exc:
            raise StateError(f"state file {self._path}: story {story.id} cannot be staged "
                             f"(temporary storage: {exc})") from exc

    @property
    def staged_count(self) -> int:
        return len(self._staged)

    def commit(self, run_id: str, story_ids: Iterable[str]) -> int:
        with self._transaction():
            taken = self._staged.take(story_ids)
            if taken is None:
                return 0
            newest_published, newest_id = taken.newest_published_at, taken.newest_id
            self._db.execute(
                """UPDATE runs SET stories_committed = stories_committed + ?,
                       newest_story_id = CASE
                           WHEN newest_published_at IS NULL OR newest_published_at < ?
                           THEN ? ELSE newest_story_id END,
                       newest_published_at = max(coalesce(newest_published_at, ''), ?)
                   WHERE run_id = ?""",
                (len(taken.ids), newest_published, newest_id, newest_published, run_id),
            )
            sqlite_pending.remove(self._db, taken.ids)
        return len(taken.ids)

    def begin_pending(self) -> tuple[int, list[PendingEntry]]:
        with self._transaction():
            number = sqlite_pending.next_run_number(self._db)
            return number, sqlite_pending.all_entries(self._db)

    def save_pending(self, entries: Iterable[PendingEntry], settled: Iterable[str]) -> int:
        with self._transaction():
            return sqlite_pending.save(self._db, entries, settled)

    def requeue_given_up(self, urls: Iterable[str] | None = None) -> int:
        with self._transaction():
            return sqlite_pending.requeue(self._db, urls)

    def discard_staged(self) -> int:
        return self._staged.clear()

    def touch(self, story_ids: Iterable[str], seen_at: str) -> None:
        rows = [(seen_at, story_id) for story_id in story_ids]
        if rows:
            with self._transaction():
                self._db.executemany("UPDATE stories SET last_seen = ? WHERE id = ?", rows)

    def begin_run(self, run_id: str, started_at: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO runs (run_id, started_at, status) VALUES (?, ?, 'running')",
                (run_id, started_at),
            )

    def finish_run(self, run_id: str, finished_at: str, status: RunStatus,
                   walked: Iterable[str] | None = None) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?",
                (finished_at, status, run_id),
            )
            self._db.executemany(
                """INSERT INTO walks (section, run_id, finished_at) VALUES (?, ?, ?)
                   ON CONFLICT (section) DO UPDATE SET
                       run_id = excluded.run_id, finished_at = excluded.finished_at
                   WHERE excluded.finished_at >= walks.finished_at""",
                [(key, run_id, finished_at) for key in walked_sections(status, walked)],
            )

    def last_successful_run(self) -> RunRecord | None:
        row = self._read(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE status = 'ok' "
            "ORDER BY finished_at DESC, run_id DESC LIMIT 1"
        ).fetchone()
        return _run(row) if row else None

    def stats(self) -> StoreStats:
        stories, revised, duplicates, oldest, newest = self._read(
            "SELECT count(*), count(*) FILTER (WHERE version > 1), "
            "count(duplicate_of), min(published_at), max(published_at) FROM stories"
        ).fetchone()
        (runs,) = self._read("SELECT count(*) FROM runs").fetchone()
        size = sum(
            p.stat().st_size for p in (self._path, _sibling(self._path, "-wal")) if p.exists()
        )
        return StoreStats(
            location=self.location,
            schema_version=SCHEMA_VERSION,
            stories=int(stories),
            revised_stories=int(revised),
            duplicates=int(duplicates),
            oldest_published_at=oldest,
            newest_published_at=newest,
            runs=int(runs),
            last_successful_run=self.last_successful_run(),
            size_bytes=size,
            pending=sqlite_pending.count_waiting(self._db),
            given_up=sqlite_pending.given_up(self._db),
            walks=tuple(SectionWalk(*row) for row in self._read(
                "SELECT section, run_id, finished_at FROM walks ORDER BY section")),
        )

    def reset(self) -> None:
        self._staged.clear()
        with self._transaction():
            self._db.execute("DELETE FROM stories")
            self._db.execute("DELETE FROM runs")
            self._db.execute("DELETE FROM pending")
            self._db.execute("DELETE FROM counters")
            self._db.execute("DELETE FROM walks")
        self._db.execute("VACUUM")

    def list_rules(self) -> SqliteListRuleStore:
        return SqliteListRuleStore(self._db)

    def close(self) -> None:
        self._db.close()

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise StateError(
                f"state file {self._path} cannot be read: {exc}; {RESET_HINT}"
            ) from exc

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self._path)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on error; SQLite errors become StateError."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise StateError(f"state file {self._path} cannot be written: {exc}") from exc
        return self._db

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.DatabaseError as error:
                self._db.execute("ROLLBACK")
                raise StateError(f"state file {self._path} cannot be written: {error}") from error
        self._db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise StateError(f"state file {self._path} cannot be written: {exc}") from exc


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _row(story: StoredStory) -> tuple[Any, ...]:
    return (
        story.id,
        story.url,
        story.content_hash,
        story.signature,
        story.signature_kind,
        _digests_text(story.field_digests),
        story.duplicate_of,
        story.published_at,
        story.modified_at,
        story.first_seen,
        story.last_seen,
        story.version,
    )


def _digests_text(digests: Mapping[str, str]) -> str:
    """``json.dumps(dict(digests), sort_keys=True)``: the same text, without building an encoder
    for every story staged (a digest is ASCII, so ``ensure_ascii`` changes nothing)."""
    data = json_bytes(dict(digests), sort_keys=True)
    if data is not None and data.isascii():
        return data.decode("ascii")
    return json.dumps(dict(digests), sort_keys=True)


def _story(row: Any) -> StoredStory:
    digests: dict[str, str] = json.loads(row[5])
    return StoredStory(
        id=row[0],
        url=row[1],
        content_hash=row[2],
        signature=bytes(row[3]) if row[3] is not None else None,
        signature_kind=row[4],
        field_digests=digests,
        duplicate_of=row[6],
        published_at=row[7],
        modified_at=row[8],
        first_seen=row[9],
        last_seen=row[10],
        version=int(row[11]),
    )


def _run(row: Any) -> RunRecord:
    return RunRecord(
        run_id=row[0],
        started_at=row[1],
        finished_at=row[2],
        status=_STATUSES.get(row[3], "incomplete"),
        stories_committed=int(row[4]),
        newest_published_at=row[5],
        newest_story_id=row[6],
    )
