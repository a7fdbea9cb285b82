"""The "Others Also Read" rule as the state store keeps it between runs, for the spider's glue.

The next cron run starts from the rule the last one learned (or dropped), and the list monitor
compares a run's lists with whether earlier runs' lists were filled: both live in the state
store's list rules (``newscrawl.state.list_rules``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from newscrawl.others.learner import RuleChange
from newscrawl.others.rule import ListRule, RuleFormatError
from newscrawl.state.list_rules import ListRuleStore, StoredListRule

logger = logging.getLogger(__name__)


class KeptListRule:
    """One per run: ``count`` counts an event under ``newscrawl/others/``."""

    def __init__(self, rules: ListRuleStore, run_id: str, count: Callable[[str], None]) -> None:
        self._rules = rules
        self._run_id = run_id
        self._count = count
        self._noted_filled = False

    def stored(self) -> ListRule | None:
        """The rule an earlier run kept; None when there is none or it cannot be read (then
        it is learned again)."""
        stored = self._rules.rule()
        if stored is None:
            return None
        try:
            return ListRule.from_json(stored.rule)
        except RuleFormatError as error:
            self._count("stored_rule_unreadable")
            logger.warning("stored list rule ignored (%s): learning it again", error)
            return None

    def save(self, change: RuleChange | None) -> None:
        if change is None:
            return
        if change.rule is None:
            self._rules.forget_rule()
            logger.info('"Others Also Read" rule dropped: rendering until it is learned again')
            return
        self._rules.save_rule(StoredListRule(
            change.rule.to_json(), change.rule.describe(), self._run_id,
            datetime.now(UTC).isoformat()))
        logger.info('"Others Also Read" rule learned: %s', change.rule.describe())

    def note_filled(self) -> None:
        """This run read a filled list (once is enough: the monitor asks whether any was)."""
        if not self._noted_filled:
            self._noted_filled = True
            self._rules.note_filled(self._run_id, datetime.now(UTC).isoformat())
