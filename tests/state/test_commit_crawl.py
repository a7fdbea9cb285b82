"""The commit contract through a real Scrapy crawl (subprocesses: a reactor runs once)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

SCRIPT = Path(__file__).with_name("crawl_with_state.py")
ROOT = Path(__file__).resolve().parents[2]


def crawl(data: Path, run_id: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(data), run_id, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def records(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def seen_ids(data: Path) -> set[str]:
    with closing(sqlite3.connect(data / "state.sqlite")) as db:
        return {row[0] for row in db.execute("SELECT id FROM stories")}


def test_kill_then_rerun_then_rerun(tmp_path: Path) -> None:
    data = tmp_path / "data"
    killed = crawl(data, "run1", "--die-before-feeds-close", "a", "b", "bad-c")
    assert killed.returncode == 9, killed.stderr[-2000:]
    assert seen_ids(data) == set()  # nothing committed: the feeds were never stored

    second = crawl(data, "run2", "a", "b", "bad-c")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "ScrapyDeprecationWarning" not in second.stderr
    emitted = records(data / "runs" / "run2.jsonl")
    assert [(r["url"].rsplit("/", 1)[1], r["version"]) for r in emitted] == [("a", 1), ("b", 1)]
    assert "raw_html" not in emitted[0]
    assert seen_ids(data) == {r["id"] for r in emitted}
    (bad,) = records(data / "quarantine" / "run2.jsonl")
    assert bad["reasons"][0] == "empty-body"
    assert Path(bad["html_path"]).read_text(encoding="utf-8").startswith("<html>")

    third = crawl(data, "run3", "a", "b")
    assert third.returncode == 0, third.stderr[-2000:]
    assert records(data / "runs" / "run3.jsonl") == []  # unchanged: not emitted again
    assert "newscrawl/version/unchanged': 2" in third.stderr
