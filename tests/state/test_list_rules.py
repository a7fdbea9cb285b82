"""The learned "Others Also Read" rule and list history in the state file."""

from __future__ import annotations

from pathlib import Path

from newscrawl.state.command import format_list_rule
from newscrawl.state.list_rules import ListHistory, StoredListRule
from newscrawl.state.sqlite_store import SqliteStateStore

RULE = StoredListRule('{"format": 1}', "fetch {origin}/api?path={val:page:path} -> items[].url",
                      "run-1", "2026-12-01T12:00:00+00:00")


def test_the_rule_outlives_the_store_and_can_be_forgotten(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.sqlite")
    assert store.list_rules().rule() is None
    store.list_rules().save_rule(RULE)
    store.list_rules().save_rule(RULE)  # saved again: replaced, not doubled
    store.close()
    again = SqliteStateStore(tmp_path / "state.sqlite")
    rules = again.list_rules()
    assert rules.rule() == RULE
    assert "api?path={val:page:path}" in format_list_rule(rules)
    rules.forget_rule()
    assert rules.rule() is None
    assert "none learned" in format_list_rule(rules)
    again.close()


def test_history_counts_runs_that_saw_a_filled_list(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.sqlite")
    rules = store.list_rules()
    assert rules.history() == ListHistory(0, None, None)
    rules.note_filled("run-1", "t1")
    rules.note_filled("run-1", "t2")  # the same run again: still one run
    rules.note_filled("run-2", "t3")
    assert rules.history() == ListHistory(2, "run-2", "t3")
    assert "in 2 runs" in format_list_rule(rules)
    store.close()
