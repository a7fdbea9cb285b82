"""Opening the state file: check it before SQLite may write to it, create it only when new.

The file is the crawl's memory of every story it ever emitted, so it is never recreated or
overwritten behind the user's back: a file that is not a SQLite database, fails SQLite's
integrity check (``PRAGMA quick_check``), belongs to another program, or was written by a newer
newscrawl (``PRAGMA user_version`` above ``SCHEMA_VERSION``) raises a ``StateError`` that names
the file and what to do. Only a missing or empty file is initialised; a file of an older schema
is migrated in one transaction (``_MIGRATIONS``: schema N+1 is schema N plus its statements).
The file runs in WAL mode with ``synchronous=FULL``, so a committed story survives a power cut.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

from newscrawl.sections import DEFAULT_SECTION
from newscrawl.state.store import StateError

SCHEMA_VERSION: Final = 3
SQLITE_HEADER: Final = b"SQLite format 3\x00"

_SCHEMA: Final = (
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        signature BLOB,
        signature_kind TEXT,
        field_digests TEXT NOT NULL,
        duplicate_of TEXT,
        published_at TEXT NOT NULL,
        modified_at TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        version INTEGER NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX stories_content_hash ON stories (content_hash)",
    "CREATE INDEX stories_url ON stories (url)",
    "CREATE INDEX stories_published_at ON stories (published_at)",
    """CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        stories_committed INTEGER NOT NULL DEFAULT 0,
        newest_published_at TEXT,
        newest_story_id TEXT
    )""",
)
# Schema 2: stories seen and not yet published (``newscrawl.state.pending``), and counters.
_PENDING_SCHEMA: Final = (
    """CREATE TABLE pending (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        via TEXT NOT NULL,
        referrer TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_tried TEXT,
        due_run INTEGER NOT NULL DEFAULT 0,
        given_up TEXT,
        quarantined INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    "CREATE INDEX pending_url ON pending (url)",
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)
# Schema 3: each section's stop-when-seen point, the latest run that walked its listing back as
# far as it had to (``StateStore.catch_up_story``). Until schema 3 there was one section and
# one point, the latest ``ok`` run: it becomes the default section's.
_WALKS_SCHEMA: Final = (
    """CREATE TABLE walks (
        section TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        finished_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    f"""INSERT INTO walks (section, run_id, finished_at)
        SELECT '{DEFAULT_SECTION.key}', run_id, finished_at FROM runs
        WHERE status = 'ok' AND finished_at IS NOT NULL
        ORDER BY finished_at DESC, run_id DESC LIMIT 1""",
)
# Statements that take a file of schema N (the index) to N + 1; schema 0 is an empty file.
_MIGRATIONS: Final = (_SCHEMA, _PENDING_SCHEMA, _WALKS_SCHEMA)
_OWN_TABLES: Final = frozenset({"stories", "runs"})
_TABLES_OF: Final = {1: _OWN_TABLES, 2: _OWN_TABLES | {"pending", "counters"},
                     3: _OWN_TABLES | {"pending", "counters", "walks"}}
RESET_HINT: Final = (
    "move it aside (it may hold the only record of what was emitted) and start again with a "
    "new NEWSCRAWL_STATE path, or restore it from a backup"
)


def open_state_file(path: Path) -> sqlite3.Connection:
    """Connect, checking the file before SQLite may write anything to it."""
    if path.is_dir():
        raise StateError(f"state path {path} is a directory; NEWSCRAWL_STATE must name a file")
    existing = path.exists() and path.stat().st_size > 0
    if existing:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StateError(f"state file {path} is not a SQLite database; {RESET_HINT}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    mode = "rw" if existing else "rwc"
    try:
        db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise StateError(f"state file {path} cannot be opened: {exc}") from exc
    try:
        _check_and_prepare(db, path, existing)
    except BaseException:
        db.close()
        raise
    return db


def _check_and_prepare(db: sqlite3.Connection, path: Path, existing: bool) -> None:
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        tables = {
            str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        problems = [str(r[0]) for r in db.execute("PRAGMA quick_check")] if existing else ["ok"]
    except sqlite3.DatabaseError as exc:
        raise StateError(f"state file {path} is corrupt ({exc}); {RESET_HINT}") from exc
    if problems != ["ok"]:
        raise StateError(f"state file {path} is corrupt ({'; '.join(problems[:3])}); {RESET_HINT}")
    if version > SCHEMA_VERSION:
        raise StateError(
            f"state file {path} has state schema {version}, written by a newer newscrawl; this "
            f"one reads up to schema {SCHEMA_VERSION}. Upgrade newscrawl, or set NEWSCRAWL_STATE "
            "to another file"
        )
    if version == 0 and tables:
        raise StateError(
            f"state file {path} is a SQLite database of another program (tables: "
            f"{', '.join(sorted(tables))}); set NEWSCRAWL_STATE to another file"
        )
    expected = _TABLES_OF.get(version, frozenset())
    if not tables >= expected:
        raise StateError(
            f"state file {path} lacks tables {sorted(expected - tables)}; {RESET_HINT}"
        )
    try:
        (journal,) = db.execute("PRAGMA journal_mode = WAL").fetchone()
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA busy_timeout = 5000")
        if version < SCHEMA_VERSION:
            _migrate(db, version)
    except sqlite3.DatabaseError as exc:
        raise StateError(f"state file {path} cannot be prepared for writing: {exc}") from exc
    if str(journal).lower() != "wal":
        raise StateError(
            f"state file {path} cannot use WAL mode (got {journal!r}); put it on a local disk"
        )


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Take the file from schema ``version`` to ``SCHEMA_VERSION`` in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
