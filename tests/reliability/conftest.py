"""The reliability suite: figures it measures are gathered for ``make reliability``'s summary."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

# Set by ``make reliability`` (bench/reliability_summary.py); unset in CI, where figures are dropped.
# Not a NEWSCRAWL_* name: tests/conftest.py removes those from the environment at import.
FIGURES_ENV = "RELIABILITY_FIGURES_FILE"


@pytest.fixture
def record_figure() -> Callable[[str, object], None]:
    """Append one measured figure, by name, to the file named by ``$RELIABILITY_FIGURES_FILE``."""
    path = os.environ.get(FIGURES_ENV)

    def record(name: str, value: object) -> None:
        if path:
            with Path(path).open("a", encoding="utf-8") as out:
                out.write(json.dumps({"name": name, "value": value}) + "\n")

    return record
