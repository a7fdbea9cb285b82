"""What the crawl remembers of the "Others Also Read" list between runs, beside the stories.

- the learned rule (``newscrawl.others.rule.ListRule`` as JSON), so the next run starts with
  it and needs the browser only to check it;
- whether lists were ever filled and when last, so a run whose lists all come back empty is
  told from a site that never had any (the ``others-also-read`` monitor).

Separate tables in the state file, created when first used; another backend implements the
same ``ListRuleStore`` protocol with a few keys.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Final, Protocol

from newscrawl.state.store import StateError

RULE_NAME: Final = "others_also_read"
_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS list_rules (
        name TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        description TEXT NOT NULL,
        learned_run TEXT NOT NULL,
        learned_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS list_history (
        name TEXT PRIMARY KEY,
        runs_with_lists INTEGER NOT NULL DEFAULT 0,
        last_filled_run TEXT,
        last_filled_at TEXT
    )""",
)


@dataclass(frozen=True, slots=True)
class StoredListRule:
    rule: str  # ListRule.to_json()
    description: str
    learned_run: str
    learned_at: str


@dataclass(frozen=True, slots=True)
class ListHistory:
    runs_with_lists: int  # runs that saw at least one filled list
    last_filled_run: str | None
    last_filled_at: str | None


class ListRuleStore(Protocol):
    def rule(self, name: str = RULE_NAME) -> StoredListRule | None: ...

    def save_rule(self, stored: StoredListRule, name: str = RULE_NAME) -> None: ...

    def forget_rule(self, name: str = RULE_NAME) -> None: ...

    def history(self, name: str = RULE_NAME) -> ListHistory: ...

    def note_filled(self, run_id: str, at: str, name: str = RULE_NAME) -> None:
        """This run saw a filled list (called once per run)."""
        ...


class SqliteListRuleStore:
    """``ListRuleStore`` in the state file, on the state store's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        try:
            for statement in _SCHEMA:
                db.execute(statement)
        except sqlite3.Error as exc:
            raise StateError(f"the state file cannot hold list rules: {exc}") from exc

    def rule(self, name: str = RULE_NAME) -> StoredListRule | None:
        row = self._db.execute(
            "SELECT rule, description, learned_run, learned_at FROM list_rules WHERE name = ?",
            (name,)).fetchone()
        return StoredListRule(*row) if row else None

    def save_rule(self, stored: StoredListRule, name: str = RULE_NAME) -> None:
        self._db.execute(
            "INSERT INTO list_rules (name, rule, description, learned_run, learned_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET rule = excluded.rule, "
            "description = excluded.description, learned_run = excluded.learned_run, "
            "learned_at = excluded.learned_at",
            (name, stored.rule, stored.description, stored.learned_run, stored.learned_at))

    def forget_rule(self, name: str = RULE_NAME) -> None:
        self._db.execute("DELETE FROM list_rules WHERE name = ?", (name,))

    def history(self, name: str = RULE_NAME) -> ListHistory:
        row = self._db.execute(
            "SELECT runs_with_lists, last_filled_run, last_filled_at FROM list_history "
            "WHERE name = ?", (name,)).fetchone()
        return ListHistory(*row) if row else ListHistory(0, None, None)

    def note_filled(self, run_id: str, at: str, name: str = RULE_NAME) -> None:
        self._db.execute(
            "INSERT INTO list_history (name, runs_with_lists, last_filled_run, last_filled_at) "
            "VALUES (?, 1, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "runs_with_lists = runs_with_lists + (last_filled_run IS NOT excluded.last_filled_run),"
            " last_filled_run = excluded.last_filled_run, last_filled_at = excluded.last_filled_at",
            (name, run_id, at))
