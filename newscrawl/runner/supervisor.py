"""Run the crawl as a child process, bounded in time, with its output in the run's log file.

A child process, not an in-process crawl, because only a separate process can be killed when it
hangs (a Playwright crawl can sit in graceful shutdown for a long time) and because Twisted's
reactor cannot be restarted in one process. The crawl closes itself at the maximum run time
(``CLOSESPIDER_TIMEOUT``); if it is still alive ``grace`` seconds later it gets SIGTERM, then a
second SIGTERM (Scrapy's forced shutdown, which also ends a stuck browser), then SIGKILL.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Final

from newscrawl.runner.progress import Progress, parse_progress

logger = logging.getLogger(__name__)

POLL_SECONDS: Final = 0.5
# What the child gets at deadline, deadline + grace, deadline + 2 * grace.
ESCALATION: Final = (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL)


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    returncode: int
    signals_sent: int  # by the deadline escalation; 0 when the crawl ended on its own

    @property
    def killed_after_deadline(self) -> bool:
        return self.signals_sent > 0


class LogFollower:
    """Reads the lines appended to a log file since it was created, like ``tail -f``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0
        self.pending = b""

    def new_lines(self) -> list[str]:
        try:
            with self.path.open("rb") as file:
                file.seek(self.offset)
                chunk = file.read()
        except FileNotFoundError:
            return []
        self.offset += len(chunk)
        *lines, self.pending = (self.pending + chunk).split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]


class CrawlSupervisor:
    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        log_path: Path,
        deadline: float,
        grace: float,
        inherit_fds: Sequence[int] = (),
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.argv = list(argv)
        self.env = dict(env)
        self.log_path = log_path
        self.deadline = deadline
        self.grace = grace
        self.inherit_fds = tuple(inherit_fds)
        self.on_progress = on_progress

    def run(self) -> CrawlOutcome:
        follower = LogFollower(self.log_path)
        with self.log_path.open("ab") as log:
            child = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=self.env, pass_fds=self.inherit_fds,
            )
        logger.info("crawl started (pid %d): %s", child.pid, " ".join(self.argv))
        previous = self._forward_signals(child)
        try:
            return self._wait(child, follower)
        finally:
            try:
                self._stop(child)
            finally:
                for signum, handler in previous.items():
                    signal.signal(signum, handler)

    def _stop(self, child: subprocess.Popen[bytes]) -> None:
        """End a crawl that outlived ``_wait`` (it raised, e.g. BrokenPipeError on the console):
        left running it would keep the inherited run lock and block every later run."""
        if child.poll() is not None:
            return
        logger.error("runner failed while the crawl (pid %d) ran: stopping it", child.pid)
        child.terminate()
        try:
            child.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def _wait(self, child: subprocess.Popen[bytes], follower: LogFollower) -> CrawlOutcome:
        started = time.monotonic()
        sent = 0
        while True:
            try:
                returncode = child.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                returncode = None
            self._report(follower)
            if returncode is not None:
                return CrawlOutcome(returncode, sent)
            due = started + self.deadline + sent * self.grace
            if sent < len(ESCALATION) and time.monotonic() >= due:
                signum = ESCALATION[sent]
                logger.warning("crawl still running %.0f s after start: sending %s",
                               time.monotonic() - started, signal.Signals(signum).name)
                child.send_signal(signum)
                sent += 1

    def _report(self, follower: LogFollower) -> None:
        if self.on_progress is None:
            return
        for line in follower.new_lines():
            progress = parse_progress(line)
            if progress is not None:
                self.on_progress(progress)

    @staticmethod
    def _forward_signals(child: subprocess.Popen[bytes]) -> dict[int, signal.Handlers | None]:
        """SIGTERM to the runner (systemd stop) goes on to the crawl, which then shuts down
        gracefully and still writes its manifest; Ctrl-C already reaches the crawl through the
        terminal's process group, so the runner just keeps waiting."""

        def forward(signum: int, _frame: FrameType | None) -> None:
            if child.poll() is None:
                os.kill(child.pid, signum)

        previous: dict[int, signal.Handlers | None] = {}
        for signum, handler in ((signal.SIGTERM, forward), (signal.SIGINT, _ignore)):
            previous[signum] = signal.getsignal(signum)  # type: ignore[assignment]
            signal.signal(signum, handler)
        return previous


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    return None
