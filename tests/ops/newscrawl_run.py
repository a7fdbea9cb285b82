"""Run ``newscrawl run`` as cron would (a subprocess, no terminal, started outside the repository)
and read back what it left in the data directory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newscrawl.replica import Site
from newscrawl.urls import SECTION_LABEL, story_id

# Chromium may resolve nothing but this machine: a test must never reach the internet.
LOOPBACK_ONLY = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"'
RUN_TIMEOUT = 240.0


def command(data_dir: Path, origin: str, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "newscrawl.cli", "run", "--data-dir", str(data_dir),
        "--base-url", origin, "--render", "never", "--max-run-time", "180",
        "-s", f"NEWSCRAWL_BROWSER_ARGS={LOOPBACK_ONLY}", *extra,
    ]


def start_run(data_dir: Path, origin: str, *extra: str) -> subprocess.Popen[str]:
    """A run in its own process group, so a test can kill it the way the OOM killer would."""
    return subprocess.Popen(command(data_dir, origin, *extra), cwd=data_dir.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(process: subprocess.Popen[str], timeout: float = RUN_TIMEOUT) -> tuple[int, str, str]:
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise
    return process.returncode, stdout, stderr


def run(data_dir: Path, origin: str, *extra: str) -> tuple[int, str, str]:
    return finish(start_run(data_dir, origin, *extra))


def kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def manifests(data_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in
            sorted((data_dir / "runs").glob("*.manifest.json"))]


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def listed_story_ids(site: Site) -> set[str]:
    """The good in-section stories that listing pages show: every run must find these."""
    return {story_id(a.url) for a in site.articles
            if a.in_section and a.section == SECTION_LABEL and a.fault is None and a.listed
            and not a.is_gallery}
