"""A run's id: it names the run's feeds, its manifest and its row in the state store."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Final

RUN_ID_FORMAT: Final = "%Y%m%dT%H%M%SZ"


@cache
def process_run_id() -> str:
    # One value per process: both feeds and the manifest must name the same run.
    return datetime.now(UTC).strftime(RUN_ID_FORMAT)


def new_run_id(explicit: str | None) -> str:
    """NEWSCRAWL_RUN_ID when set, else the UTC start time such as ``20261127T154012Z``."""
    return explicit or process_run_id()
