"""The reliability suite: figures it measures are gathered for ``make reliability``'s summary."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

# Set by ``make reliability`` (bench/reliability_summary.py); unset in CI, where figures are dropped.
FIGURES_ENV = "NEWSCRAWL_RELIABILITY_FIGURES"


@pytest.fixture
def record_figure() -> Callable[[str, object], None]:
    """Append one measured figure, by name, to the file named by ``$NEWSCRAWL_RELIABILITY_FIGURES``."""
    path = os.environ.get(FIGURES_ENV)

    def record(name: str, value: object) -> None:
        if path:
            with Path(path).open("a", encoding="utf-8") as out:
                out.write(json.dumps({"name": name, "value": value}) + "\n")

    return record
