"""RunLock: one holder at a time, released by the kernel however the holder dies."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.runs.lock import RunLock, RunLockedError

HOLD = """
import sys, time
from pathlib import Path
from newscrawl.runs.lock import RunLock
lock = RunLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_second_lock_is_refused_until_the_first_is_released(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    first = RunLock(path)
    first.acquire()
    with pytest.raises(RunLockedError):
        RunLock(path).acquire()
    first.release()
    with RunLock(path):
        pass


def test_lock_of_a_killed_holder_is_free(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with subprocess.Popen([sys.executable, "-c", HOLD, str(path)],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLockedError):
            RunLock(path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with RunLock(path):
        pass


def test_a_child_holding_the_inherited_descriptor_keeps_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    parent = RunLock(path)
    parent.acquire()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                          pass_fds=(parent.fd,)) as child:
        parent.release()
        with pytest.raises(RunLockedError):
            RunLock(path).acquire()
        child.kill()
        child.wait()
    with RunLock(path):
        pass


def test_a_refused_lock_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with RunLock(path):
        before = path.stat()
        with pytest.raises(RunLockedError):
            RunLock(path).acquire()
        after = path.stat()
    assert (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
