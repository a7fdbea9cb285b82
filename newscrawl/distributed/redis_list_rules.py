"""The learned "Others Also Read" rule and list history in the Redis state store: the same
``ListRuleStore`` contract as the SQLite tables, so every worker of a shared crawl starts from
the rule any of them learned, and the next cron run starts from it too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from newscrawl.state.list_rules import RULE_NAME, ListHistory, StoredListRule

# Many workers note filled lists in the same run: the run counts once, whichever worker is first.
NOTE_FILLED: Final = """
if redis.call('HGET', KEYS[1], 'last_filled_run') ~= ARGV[1] then
  redis.call('HINCRBY', KEYS[1], 'runs_with_lists', 1)
end
redis.call('HSET', KEYS[1], 'last_filled_run', ARGV[1], 'last_filled_at', ARGV[2])
return 1
"""
_RULE_FIELDS: Final = ("rule", "description", "learned_run", "learned_at")


class RedisListRuleStore:
    """``ListRuleStore`` in two hashes per rule name; ``call`` turns Redis errors into
    ``StateError`` as the rest of the store does."""

    def __init__(self, server: Any, key: Callable[[str], str],
                 call: Callable[..., Any]) -> None:
        self._server = server
        self._key = key
        self._call = call
        self._note = server.register_script(NOTE_FILLED)

    def rule(self, name: str = RULE_NAME) -> StoredListRule | None:
        values = self._call(self._server.hmget, self._key(f"list_rule:{name}"), _RULE_FIELDS)
        if any(value is None for value in values):
            return None
        return StoredListRule(*(value.decode() for value in values))

    def save_rule(self, stored: StoredListRule, name: str = RULE_NAME) -> None:
        self._call(self._server.hset, self._key(f"list_rule:{name}"), mapping={
            "rule": stored.rule, "description": stored.description,
            "learned_run": stored.learned_run, "learned_at": stored.learned_at})

    def forget_rule(self, name: str = RULE_NAME) -> None:
        self._call(self._server.delete, self._key(f"list_rule:{name}"))

    def history(self, name: str = RULE_NAME) -> ListHistory:
        runs, run, at = self._call(self._server.hmget, self._key(f"list_history:{name}"),
                                   ("runs_with_lists", "last_filled_run", "last_filled_at"))
        return ListHistory(int(runs or 0), run.decode() if run else None,
                           at.decode() if at else None)

    def note_filled(self, run_id: str, at: str, name: str = RULE_NAME) -> None:
        self._call(self._note, keys=[self._key(f"list_history:{name}")], args=[run_id, at])
