"""What a newcomer meets on the command line: a bad ``-a`` in one line with no start-up log
before it, a crawl that finds nothing new saying so, ``-O`` still publishing into ``runs/``, and
``scrapy parse`` producing the record of a saved page served by the replica."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from crawling import REPO, run_crawl

from newscrawl.replica import ReplicaServer
from newscrawl.urls import rebase

pytestmark = pytest.mark.e2e
PAGES = REPO / "fixtures" / "pages"
SAVED = "timor-leste-formally-joins-asean-as-11th-member"


def test_a_bad_argument_prints_its_line_without_scrapys_start_up() -> None:
    process = subprocess.run(  # the default log level: INFO
        [sys.executable, "-m", "scrapy", "crawl", "aseanplus", "-a", "since=2026-13-45"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 2
    assert process.stderr.strip() == (
        "newscrawl: since='2026-13-45' is not a valid date: month must be in 1..12"
    )
    assert process.stdout == ""


def test_o_publishes_into_runs_and_a_run_with_nothing_new_says_so(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    arguments = {"base_url": replica.origin, "render": "never"}
    first = run_crawl(tmp_path, arguments, run_id="one")
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(first.records) > 30
    # -O out.jsonl is a copy: the run file under runs/ holds the same stories, so the state
    # that now calls them seen and the dataset built from runs/ agree.
    run_file = tmp_path / "data" / "runs" / "one.jsonl"
    assert [json.loads(line) for line in run_file.read_text().splitlines()] == first.records
    assert "0 new stories" not in first.stderr

    second = run_crawl(tmp_path, arguments, run_id="two")
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.records == []
    last = second.stderr.strip().splitlines()[-1]
    assert last.endswith(
        f"0 new stories: {len(first.records)} known in {tmp_path / 'state.sqlite'}; "
        "`newscrawl state reset` or NEWSCRAWL_STATE=<another file> to start over"
    )

    built = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "dataset", "build", "--data-dir",
         str(tmp_path / "data")], capture_output=True, text=True, timeout=120, check=True)
    assert f"{len(first.records)} stories" in built.stdout


def saved_page(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    index = json.loads((PAGES / "index.json").read_text(encoding="utf-8"))
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    return index[name], expected


def scraped_items(stdout: str) -> list[dict[str, Any]]:
    """The items ``scrapy parse`` prints (a pretty-printed Python list of dicts)."""
    start = stdout.index("# Scraped Items")
    block = stdout[stdout.index("\n", start) + 1: stdout.index("# Requests", start)]
    items = ast.literal_eval(block.strip())
    assert isinstance(items, list)
    return items


def test_scrapy_parse_gives_the_record_of_a_saved_page(replica: ReplicaServer) -> None:
    entry, expected = saved_page(SAVED)
    url = rebase(entry["url"], replica.origin)
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", "parse", "--spider=aseanplus",
         "-a", f"base_url={replica.origin}", "-a", "render=never", url],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    [item] = scraped_items(process.stdout)
    for name, value in expected.items():
        if name not in ("crawled_at", "content_hash"):  # the crawl's clock; set by a pipeline
            assert item[name] == value, name
    assert item["discovered_via"] == "start" and item["referrer"] is None
    # A look at one page leaves no run in the data directory and no state behind.
    assert not Path(os.environ["NEWSCRAWL_DATA_DIR"]).exists()


def test_the_demo_keeps_its_own_data_dir_and_state(tmp_path: Path) -> None:
    demo_dir = tmp_path / "demo"
    process = subprocess.run(
        ["bash", str(REPO / "scripts" / "demo.sh"), sys.executable],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DEMO_DATA_DIR": str(demo_dir), "DEMO_RENDER": "never"},
    )
    assert process.returncode == 0, process.stderr[-2000:]
    [stories] = [line for line in process.stdout.splitlines() if line.startswith("stories: ")]
    count = int(stories.split()[1])
    assert count > 30
    assert (demo_dir / "state.sqlite").is_file()
    [run_file] = (demo_dir / "runs").glob("demo-*.jsonl")
    assert len(run_file.read_text().splitlines()) == count
    assert f"dataset: {demo_dir}/dataset.jsonl" in process.stdout
    # The data directory `scrapy crawl` and `newscrawl run` use by default stays untouched.
    assert not Path(os.environ["NEWSCRAWL_DATA_DIR"]).exists()
