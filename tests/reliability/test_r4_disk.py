"""R4: a data directory that is read-only, or fills up during the run: one line naming the
path and the error, exit 1, nothing half-written left where readers look, state untouched.

Real filesystems, not mocks: a small tmpfs mounted for the test (root only; skipped with the
reason where mount is not permitted), or a directory without write permission for non-root.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from crawling import REPO, CrawlResult, run_crawl

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.e2e
MountFactory = Callable[..., Path]


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[MountFactory]:
    """``small_fs(name, size="64k", read_only=False)``: a tmpfs of that size, unmounted after."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "64k", read_only: bool = False) -> Path:
        target = tmp_path / name
        target.mkdir()
        options = f"size={size}" + (",ro" if read_only else "")
        try:
            subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                           check=True, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as error:
            pytest.skip(f"cannot mount a tmpfs here ({error}): needs root and mount rights")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        subprocess.run(["umount", str(target)], check=False, capture_output=True, timeout=30)


@contextlib.contextmanager
def read_only_dir(path: Path, small_fs: MountFactory) -> Iterator[Path]:
    """A directory nobody may write to: a read-only tmpfs for root (root ignores modes)."""
    if os.geteuid() == 0:
        yield small_fs(path.name, read_only=True)
        return
    path.mkdir()
    path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        yield path
    finally:
        path.chmod(stat.S_IRWXU)


def stories_in(state: Path) -> int:
    with contextlib.closing(sqlite3.connect(state)) as db:
        return int(db.execute("SELECT count(*) FROM stories").fetchone()[0])


def visible_files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")]


def assert_one_line_failure(result: CrawlResult, path: Path, error: str) -> None:
    assert result.returncode == 1, result.stderr[-3000:]
    ours = [line for line in result.stderr.splitlines() if line.startswith("newscrawl:")]
    assert len(ours) == 1, ours
    assert str(path) in ours[0] and error in ours[0], ours[0]


def test_a_read_only_data_dir_stops_the_crawl_before_it_starts(
        replica_factory: Callable[..., ReplicaServer], tmp_path: Path,
        small_fs: MountFactory) -> None:
    replica = replica_factory(articles=10)
    arguments = {"base_url": replica.origin, "render": "never"}
    first = run_crawl(tmp_path / "first", arguments, user_feed=False,
                      settings=[f"NEWSCRAWL_STATE={tmp_path / 'state.sqlite'}"])
    assert first.returncode == 0 and first.records
    state = (tmp_path / "state.sqlite").read_bytes()
    with read_only_dir(tmp_path / "data", small_fs) as data:
        result = run_crawl(tmp_path / "second", arguments, user_feed=False, settings=[
            f"NEWSCRAWL_STATE={tmp_path / 'state.sqlite'}", f"NEWSCRAWL_DATA_DIR={data}"])
        assert_one_line_failure(result, data, "Read-only file system"
                                if os.geteuid() == 0 else "Permission denied")
        assert "Traceback" not in result.stderr
        assert list(data.rglob("*")) == []
    assert (tmp_path / "state.sqlite").read_bytes() == state
    assert result.stat("downloader/request_count") == 0  # no page fetched for nothing


def test_a_disk_that_fills_up_fails_the_run_and_publishes_nothing_half_written(
        replica_factory: Callable[..., ReplicaServer], tmp_path: Path,
        small_fs: MountFactory, record_figure: Callable[[str, object], None]) -> None:
    replica = replica_factory(articles=60)  # ~90 KB of stories: more than the disk holds
    data = small_fs("data", size="64k")
    state = tmp_path / "state.sqlite"
    result = run_crawl(tmp_path, {"base_url": replica.origin, "render": "never"},
                       user_feed=False, settings=[f"NEWSCRAWL_DATA_DIR={data}"])
    assert_one_line_failure(result, data / "runs" / "test.jsonl", "No space left on device")
    # One line says it (above); no traceback of the disk error anywhere: it used to be one per
    # item exported, then one from Scrapy's feed exporter ("Error storing … feed").
    assert "Error: [Errno 28]" not in result.stderr  # a traceback's last line
    assert "Error storing" not in result.stderr
    assert result.stat("finish_reason") == "storage-error"
    assert not (data / "runs" / "test.jsonl").exists()
    # Nothing half-written: no part file, and any visible file is complete JSON.
    assert [p for p in data.rglob(".*part-*")] == []
    for path in visible_files(data):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line.startswith("{") and line.endswith("}"), path
    assert stories_in(state) == 0  # not one story recorded as seen: the next run emits them
    record_figure("R4 disk full exit code", result.returncode)


def test_newscrawl_run_on_a_read_only_data_dir_says_so_in_one_line(
        tmp_path: Path, small_fs: MountFactory) -> None:
    with read_only_dir(tmp_path / "data", small_fs) as data:
        done = subprocess.run(
            [sys.executable, "-m", "newscrawl.cli", "run", "--data-dir", str(data),
             "--base-url", "http://127.0.0.1:9", "--render", "never"],
            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(data) in lines[0], lines
