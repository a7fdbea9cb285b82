"""Where ``SqliteStateStore`` keeps the stories it staged: a TEMP table of the store's own
connection, not Python objects.

A first run stages every story it emits until its feed is stored, usually at the end of the
run: held as Python rows that cost ~1.4 KB a story and were the largest part of what the
crawl's peak memory grew by per story. The TEMP table lives in SQLite's temporary database
(a file, ``temp_store = FILE``, removed when the connection closes; only its page cache is in
memory), so it holds any number of stories in bounded memory, and a commit copies the staged
rows into ``stories`` with one statement, never reading them back into Python.

Nothing staged survives the connection: a killed run loses its staged stories as it did when
they were in memory (its feed was not published either, see ``newscrawl.state.commit``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

# The columns of ``stories``, in the order of a staged row.
STORY_COLUMNS: Final = (
    "id, url, content_hash, signature, signature_kind, field_digests, duplicate_of, "
    "published_at, modified_at, first_seen, last_seen, version"
)
# A rowid table, the id unique beside it: rows are appended at the table's end and only the
# small (id, rowid) entries are sorted by id. Keyed by id WITHOUT ROWID, each ~900-byte row
# (its 512-byte signature) went into the middle of a tree of a few rows a page: 31 µs of CPU a
# story at 1,680 stories and 85-95 µs at 10,000, once the table outgrew the page cache and
# every insert read and wrote pages of the temporary file; 17-21 µs at both sizes this way.
_CREATE: Final = (
    f"CREATE TEMP TABLE IF NOT EXISTS staged ({STORY_COLUMNS}, UNIQUE (id))",
    "CREATE TEMP TABLE IF NOT EXISTS committing (id TEXT PRIMARY KEY) WITHOUT ROWID",
)
_STAGE: Final = f"INSERT OR REPLACE INTO temp.staged ({STORY_COLUMNS}) VALUES " \
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
# "WHERE true": an upsert's SELECT needs a WHERE for the parser to tell ON CONFLICT from a join.
_UPSERT: Final = f"""
    INSERT INTO main.stories ({STORY_COLUMNS})
    SELECT {STORY_COLUMNS} FROM temp.staged WHERE id IN (SELECT id FROM temp.committing)
    ON CONFLICT (id) DO UPDATE SET
        url = excluded.url, content_hash = excluded.content_hash,
        signature = excluded.signature, signature_kind = excluded.signature_kind,
        field_digests = excluded.field_digests, duplicate_of = excluded.duplicate_of,
        published_at = excluded.published_at, modified_at = excluded.modified_at,
        last_seen = excluded.last_seen, version = excluded.version
"""


class SqliteStaging:
    """The staged rows of one store connection (columns as ``stories``')."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._created = False

    def __len__(self) -> int:
        if not self._created:
            return 0
        (count,) = self._db.execute("SELECT count(*) FROM temp.staged").fetchone()
        return int(count)

    def stage(self, row: tuple[Any, ...]) -> None:
        """Stage ``row``, replacing what was staged for its id."""
        self._create()
        self._db.execute(_STAGE, row)

    def take(self, story_ids: Iterable[str]) -> Taken | None:
        """Write the staged rows of ``story_ids`` into ``stories`` and unstage them, inside the
        caller's transaction; None when none of them was staged."""
        if not self._created:
            return None
        db = self._db
        db.execute("DELETE FROM temp.committing")
        db.executemany("INSERT OR IGNORE INTO temp.committing (id) VALUES (?)",
                       ((i,) for i in story_ids))
        chosen = "FROM temp.staged WHERE id IN (SELECT id FROM temp.committing)"
        ids = [str(r[0]) for r in db.execute(f"SELECT id {chosen}")]
        taken = None
        if ids:
            newest = db.execute(
                f"SELECT published_at, id {chosen} ORDER BY published_at DESC, id DESC LIMIT 1"
            ).fetchone()
            db.execute(_UPSERT)
            db.execute(f"DELETE {chosen}")
            taken = Taken(ids, newest[0], newest[1])
        db.execute("DELETE FROM temp.committing")
        return taken

    def clear(self) -> int:
        count = len(self)
        if count:
            self._db.execute("DELETE FROM temp.staged")
        return count

    def _create(self) -> None:
        if self._created:
            return
        # Spilled to a file past the page cache, whatever the library was compiled with.
        self._db.execute("PRAGMA temp_store = FILE")
        for statement in _CREATE:
            self._db.execute(statement)
        self._created = True


@dataclass(frozen=True, slots=True)
class Taken:
    """What a commit wrote: the story ids, and the newest story's published_at and id."""

    ids: list[str]
    newest_published_at: str
    newest_id: str
