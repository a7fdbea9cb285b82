"""The run lock: an exclusive ``flock`` on ``data/aseanplus/run.lock`` so cron runs never overlap.

``flock`` (not a pid file) because the kernel drops the lock when its holder dies, however it
dies, so a SIGKILLed run can never lock out the next one. The crawl child inherits the locked
descriptor, so the lock is held for as long as either process lives.

The crawl takes the same lock itself (``newscrawl.extensions.run_lock``), so ``scrapy crawl``
and ``newscrawl run`` on one data directory never overlap. A crawl started by ``newscrawl run``
is told the inherited descriptor's number (``$NEWSCRAWL_RUN_LOCK_FD``) and ``inherit``s the
lock instead of waiting for its own parent.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Final

# The number of an inherited descriptor that holds the lock (set by ``newscrawl run``).
LOCK_FD_ENV: Final = "NEWSCRAWL_RUN_LOCK_FD"
# The lock file in a data directory, the same for `scrapy crawl`, `newscrawl run` and `state reset`.


class RunLockedError(RuntimeError):
    """Another run holds the lock."""


class RunLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def fd(self) -> int:
        if self._fd is None:
            raise RuntimeError("the run lock is not held")
        return self._fd

    def acquire(self) -> None:
        """Take the lock without waiting; raise ``RunLockedError`` when another run has it.

        The lock file is opened without truncation and never written, so a locked-out run
        changes nothing on disk (the file's first creation aside).
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunLockedError(f"another run holds {self.path}") from None
        self._fd = fd

    def inherit(self, fd: int) -> bool:
        """Hold the lock through ``fd``, a descriptor inherited from the process that took it.

        False (nothing held) when ``fd`` is not open on this lock file or another run holds the
        lock: ``flock`` on a descriptor of the holder's open file succeeds, any other fails.
        """
        try:
            held, wanted = os.fstat(fd), self.path.stat()
        except OSError:
            return False
        if (held.st_dev, held.st_ino) != (wanted.st_dev, wanted.st_ino):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        # Close, not LOCK_UN: an unlock would also drop the lock for a crawl child that still
        # holds the inherited descriptor; closing leaves it to the kernel to release it last.
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
