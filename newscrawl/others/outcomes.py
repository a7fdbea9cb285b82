"""Stat names of the "Others Also Read" lists, shared by the spider and the monitor."""

from __future__ import annotations

from typing import Final, Literal

PREFIX: Final = "newscrawl/others"
ListOutcome = Literal["filled", "empty", "missing", "timeout"]
OUTCOMES: Final[tuple[ListOutcome, ...]] = ("filled", "empty", "missing", "timeout")
# Runs before this one that saw a filled list (from the state store), and whether this run is
# the first the store knows of.
EARLIER_RUNS_FILLED: Final = f"{PREFIX}/earlier_runs_filled"
FIRST_RUN: Final = f"{PREFIX}/first_run"


def outcome_key(outcome: str) -> str:
    """``newscrawl/others/list/<outcome>``: each story's list, however it was obtained."""
    return f"{PREFIX}/list/{outcome}"
