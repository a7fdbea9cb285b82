"""CrawlSupervisor: the child's output lands in the log, progress is read from it, and a child
that outlives its deadline is stopped by SIGTERM, a second SIGTERM, then SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newscrawl.runner.progress import Progress, parse_progress
from newscrawl.runner.supervisor import CrawlSupervisor

REPORTS = """
import sys
print("starting")
print("2025-01-01 [x] INFO: progress: pages=3 stories=2 quarantined=0 errors=0")
print("2025-01-01 [x] INFO: progress: pages=9 stories=7 quarantined=1 errors=2")
sys.exit(0)
"""
# Counts the SIGTERMs it ignores, like a crawl stuck in shutdown.
STUBBORN = """
import signal, sys, time
def note(signum, frame):
    print("got SIGTERM", flush=True)
signal.signal(signal.SIGTERM, note)
print("ready", flush=True)
while True:
    time.sleep(0.05)
"""
POLITE = """
import time
print("ready", flush=True)
time.sleep(60)
"""


def supervise(tmp_path: Path, script: str, deadline: float = 60.0,
              seen: list[Progress] | None = None) -> tuple[int, int, str]:
    log = tmp_path / "run.log"
    outcome = CrawlSupervisor(
        [sys.executable, "-c", script], env=dict(os.environ), log_path=log,
        deadline=deadline, grace=0.3, on_progress=seen.append if seen is not None else None,
    ).run()
    return outcome.returncode, outcome.signals_sent, log.read_text()


def test_output_is_logged_and_progress_is_parsed(tmp_path: Path) -> None:
    seen: list[Progress] = []
    returncode, sent, log = supervise(tmp_path, REPORTS, seen=seen)
    assert (returncode, sent) == (0, 0)
    assert log.startswith("starting\n")
    assert seen == [Progress(3, 2, 0, 0), Progress(9, 7, 1, 2)]


def test_a_child_that_ignores_sigterm_is_killed(tmp_path: Path) -> None:
    returncode, sent, log = supervise(tmp_path, STUBBORN, deadline=0.5)
    assert returncode == -signal.SIGKILL
    assert sent == 3
    assert log.count("got SIGTERM") == 2


def test_a_child_that_obeys_sigterm_gets_one(tmp_path: Path) -> None:
    returncode, sent, _ = supervise(tmp_path, POLITE, deadline=0.5)
    assert (returncode, sent) == (-signal.SIGTERM, 1)


def test_signal_handlers_are_restored(tmp_path: Path) -> None:
    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    supervise(tmp_path, REPORTS)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_progress_line_format_round_trips() -> None:
    progress = Progress(pages=12, stories=10, quarantined=1, errors=0)
    assert parse_progress(f"2025 [x] INFO: {progress.line()}") == progress
    assert parse_progress("Crawled 12 pages (at 3 pages/min)") is None


def _supervise_until_report_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
    *, wait_until_ready: bool = False,
) -> subprocess.Popen[bytes]:
    """Run ``argv`` under a supervisor whose ``_report`` raises (a console gone away), and
    return the child process."""
    started: list[subprocess.Popen[bytes]] = []

    class RecordingPopen(subprocess.Popen[bytes]):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    log = tmp_path / "run.log"

    def report(_self: CrawlSupervisor, _follower: object) -> None:
        if wait_until_ready and "ready" not in log.read_text():
            return  # the child has not set its SIGTERM handler yet
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(subprocess, "Popen", RecordingPopen)
    monkeypatch.setattr(CrawlSupervisor, "_report", report)
    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    supervisor = CrawlSupervisor(argv, env=dict(os.environ), log_path=log,
                                 deadline=60.0, grace=0.5)
    with pytest.raises(BrokenPipeError):
        supervisor.run()
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    [child] = started
    return child


def test_a_failing_runner_terminates_the_crawl(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    child = _supervise_until_report_fails(tmp_path, monkeypatch, ["sleep", "60"])
    assert child.poll() == -signal.SIGTERM


def test_a_failing_runner_kills_a_crawl_that_ignores_sigterm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = time.monotonic()
    child = _supervise_until_report_fails(tmp_path, monkeypatch,
                                          [sys.executable, "-c", STUBBORN],
                                          wait_until_ready=True)
    assert child.poll() == -signal.SIGKILL
    assert time.monotonic() - started < 10
