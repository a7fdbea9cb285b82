"""Run the reliability suite and print the figures its tests measured, on one screen.

    .venv/bin/python bench/reliability_summary.py [pytest arguments...]      (or: make reliability)

Runs ``pytest tests/reliability`` with ``$RELIABILITY_FIGURES_FILE`` naming a temporary
file, into which each test appends the figures it measured (``record_figure`` in
``tests/reliability/conftest.py``), then prints them as a table under the suite's outcome.
Exits with pytest's exit code, so a failed test fails ``make reliability``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURES_ENV = "RELIABILITY_FIGURES_FILE"
WIDTH = 110


def read_figures(path: Path) -> list[tuple[str, object]]:
    figures: list[tuple[str, object]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            figures.append((str(row["name"]), row["value"]))
        except (ValueError, KeyError, TypeError):
            figures.append(("(unreadable figure line)", line[:60]))
    return figures


def table(figures: list[tuple[str, object]]) -> list[str]:
    if not figures:
        return ["(no figures recorded)"]
    name_width = min(max(len(name) for name, _ in figures), 52)
    return [f"{name:<{name_width}}  {value}"[:WIDTH] for name, value in figures]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="newscrawl-reliability-") as tmp:
        figures_path = Path(tmp) / "figures.jsonl"
        figures_path.touch()
        env = {**os.environ, FIGURES_ENV: str(figures_path)}
        started = time.monotonic()
        command = [sys.executable, "-m", "pytest", "tests/reliability", "-q", *argv]
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                                check=False)
        seconds = time.monotonic() - started
        figures = read_figures(figures_path)
    outcome = next((line for line in reversed(result.stdout.splitlines()) if line.strip()),
                   "(no pytest output)")
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n")
    print("=" * WIDTH)
    print(f"newscrawl reliability suite: {outcome.strip('= ')} ({seconds:.0f} s wall)")
    print("-" * WIDTH)
    for line in table(figures):
        print(line)
    print("=" * WIDTH)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
