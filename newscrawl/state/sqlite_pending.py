"""The SQL of the pending stories in the SQLite state file (tables ``pending`` and ``counters``
of schema 2, see ``sqlite_file``). ``SqliteStateStore`` runs these inside its transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, Final

from newscrawl.state.store import PendingEntry

RUNS_COUNTER: Final = "pending_runs"
_COLUMNS: Final = (
    "id, url, via, referrer, first_seen, first_run, attempts, last_error, last_tried, due_run, "
    "given_up, quarantined"
)
# A story stored by now is published: it is never written back as pending (a commit earlier in
# the run removed it, and this must not bring it back).
_UPSERT: Final = f"""
    INSERT INTO pending ({_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
        WHERE NOT EXISTS (SELECT 1 FROM stories WHERE stories.id = ?)
    ON CONFLICT (id) DO UPDATE SET
        url = excluded.url, attempts = excluded.attempts, last_error = excluded.last_error,
        last_tried = excluded.last_tried, due_run = excluded.due_run,
        given_up = excluded.given_up, quarantined = excluded.quarantined
"""


def next_run_number(db: sqlite3.Connection) -> int:
    db.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1",
        (RUNS_COUNTER,),
    )
    (number,) = db.execute("SELECT value FROM counters WHERE name = ?",
                           (RUNS_COUNTER,)).fetchone()
    return int(number)


def all_entries(db: sqlite3.Connection) -> list[PendingEntry]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM pending ORDER BY first_run, first_seen, id")
    return [_entry(row) for row in rows]


def given_up(db: sqlite3.Connection) -> tuple[PendingEntry, ...]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM pending WHERE given_up IS NOT NULL ORDER BY given_up, id"
    )
    return tuple(_entry(row) for row in rows)


def count_waiting(db: sqlite3.Connection) -> int:
    (count,) = db.execute("SELECT count(*) FROM pending WHERE given_up IS NULL").fetchone()
    return int(count)


def save(db: sqlite3.Connection, entries: Iterable[PendingEntry], settled: Iterable[str]) -> int:
    written = 0
    for entry in entries:
        written += db.execute(_UPSERT, (*_row(entry), entry.id)).rowcount
    db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in settled])
    return written


def remove(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in ids])


def requeue(db: sqlite3.Connection, urls: Iterable[str] | None) -> int:
    update = ("UPDATE pending SET given_up = NULL, attempts = 0, due_run = 0 "
              "WHERE given_up IS NOT NULL")
    if urls is None:
        return db.execute(update).rowcount
    return sum(db.execute(update + " AND url = ?", (url,)).rowcount for url in urls)


def _row(entry: PendingEntry) -> tuple[Any, ...]:
    return (entry.id, entry.url, entry.via, entry.referrer, entry.first_seen, entry.first_run,
            entry.attempts, entry.last_error, entry.last_tried, entry.due_run, entry.given_up,
            int(entry.quarantined))


def _entry(row: Any) -> PendingEntry:
    return PendingEntry(
        id=row[0], url=row[1], via=row[2], referrer=row[3], first_seen=row[4],
        first_run=int(row[5]), attempts=int(row[6]), last_error=row[7], last_tried=row[8],
        due_run=int(row[9]), given_up=row[10], quarantined=bool(row[11]),
    )
