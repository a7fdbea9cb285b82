"""RunController without a real crawl: the start-of-run sweep and a dataset build that fails."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from newscrawl.data_layout import DataLayout
from newscrawl.dataset.builder import DatasetBuilder
from newscrawl.feeds import PartFile
from newscrawl.runner import controller as controller_module
from newscrawl.runner.console import RunConsole
from newscrawl.runner.controller import RunController, RunOptions
from newscrawl.runner.supervisor import CrawlOutcome
from newscrawl.runs.exit_codes import ExitCode
from newscrawl.runs.manifest import FeedFile, RunManifest
from newscrawl.runs.monitor_report import MonitorOutcome, MonitorReport


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


class FakeSupervisor:
    """Stands in for the crawl: writes a healthy run's feed and manifest, exits 0."""

    def __init__(self, argv: list[str], *, env: dict[str, str], **_: Any) -> None:
        self.run_id = env["NEWSCRAWL_RUN_ID"]
        self.data_dir = Path(next(s for s in argv if s.startswith("NEWSCRAWL_DATA_DIR="))
                             .split("=", 1)[1])

    def run(self) -> CrawlOutcome:
        runs = self.data_dir / "runs"
        feed_path = runs / f"{self.run_id}.jsonl"
        feed_path.parent.mkdir(parents=True, exist_ok=True)
        feed_path.write_bytes(b"{}\n")
        RunManifest(
            self.run_id, "t0", "t1", "finished", counts={"stories": 1},
            feed=FeedFile.describe(feed_path, 1, runs),
            monitors=MonitorReport("t0", (MonitorOutcome("errors/error-rate", "OK"),)),
            code_version="test",
        ).write(DataLayout(self.data_dir).manifest(self.run_id))
        return CrawlOutcome(0, 0)


def controller(data_dir: Path, stream: io.StringIO) -> RunController:
    options = RunOptions(data_dir=data_dir, max_run_time=60, kill_grace=1, interactive=True)
    return RunController(options, RunConsole(stream, stream, interactive=True))


@pytest.mark.parametrize("error", [
    pa.ArrowInvalid("Could not convert 'x' with type str"),
    pa.ArrowException("arrow broke"),
    ValueError("bad value"),
    OSError(28, "No space left on device"),
])
def test_a_failed_dataset_build_fails_the_run_with_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception,
) -> None:
    def build(_self: DatasetBuilder) -> None:
        raise error

    monkeypatch.setattr(controller_module, "CrawlSupervisor", FakeSupervisor)
    monkeypatch.setattr(DatasetBuilder, "build", build)
    stream = io.StringIO()
    assert controller(tmp_path, stream).execute() == ExitCode.FAILED
    out = stream.getvalue()
    assert "(exit 1)" in out
    assert f"! dataset build: {type(error).__name__}: {error}" in out


def test_the_sweep_covers_the_data_dir_and_every_quarantine_run(tmp_path: Path) -> None:
    dead, live = dead_pid(), os.getpid()
    quarantine = tmp_path / "quarantine"
    run_dir = quarantine / "20250101T000000Z"
    run_dir.mkdir(parents=True)
    (tmp_path / "runs").mkdir()
    stale = [
        PartFile.for_target(tmp_path / "dataset.parquet", dead).path,
        PartFile.for_target(tmp_path / "dataset.jsonl", dead).path,
        PartFile.for_target(tmp_path / "runs" / "r.jsonl", dead).path,
        PartFile.for_target(quarantine / "r.jsonl", dead).path,
        PartFile.for_target(run_dir / ("ab" * 32 + ".html"), dead).path,
    ]
    kept = [
        PartFile.for_target(tmp_path / "dataset.parquet", live).path,  # a live writer's
        PartFile.for_target(run_dir / ("cd" * 32 + ".html"), live).path,
        run_dir / ("ef" * 32 + ".html"),
        tmp_path / "dataset.jsonl",
        tmp_path / "run.lock",
    ]
    for path in (*stale, *kept):
        path.write_bytes(b"x")
    controller(tmp_path, io.StringIO()).sweep_stale_parts()
    assert [path for path in stale if path.exists()] == []
    assert all(path.exists() for path in kept)


def test_the_sweep_of_an_empty_data_dir_is_a_no_op(tmp_path: Path) -> None:
    controller(tmp_path, io.StringIO()).sweep_stale_parts()
    assert list(tmp_path.iterdir()) == []
