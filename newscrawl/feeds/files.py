"""Files that readers can trust: written under a hidden part name beside the target, then renamed
onto it whole (same directory, so same filesystem: the rename is atomic). A part file's name
carries its writer's pid, so a later run tells a dead writer's leftovers from a live one's work.

Plain Python, no Scrapy: ``newscrawl run``'s parent process writes manifests and sweeps part
files without loading the crawler.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


def storage_error(path: Path, error: OSError) -> str:
    """One line naming the path and the error (``[Errno 28] No space left on device``)."""
    what = f"[Errno {error.errno}] {error.strerror}" if error.strerror else str(error)
    return f"cannot write to {path}: {what}"


_PART_RE = re.compile(r"^\.(?P<name>.+)\.part-(?P<pid>\d+)$")


@dataclass(frozen=True, slots=True)
class PartFile:
    """The hidden name a feed is written under: ``.<name>.part-<pid>`` beside the target."""

    path: Path
    target: Path
    pid: int

    @classmethod
    def for_target(cls, target: Path, pid: int) -> PartFile:
        return cls(target.with_name(f".{target.name}.part-{pid}"), target, pid)

    @classmethod
    def parse(cls, path: Path) -> PartFile | None:
        match = _PART_RE.match(path.name)
        if match is None:
            return None
        return cls(path, path.with_name(match["name"]), int(match["pid"]))

    def writer_alive(self) -> bool:
        if self.pid == os.getpid():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # another user's live process
            return True
        return not _is_zombie(self.pid)


def _is_zombie(pid: int) -> bool:
    """A killed writer that nobody has reaped yet (in a container, pid 1 may never reap it)
    still answers signal 0: /proc says it is dead. Where /proc is missing, assume it lives."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state follows the command name, which is in parentheses and may hold spaces.
    return stat[stat.rfind(")") + 2:stat.rfind(")") + 3] == "Z"


def sweep_stale_parts(directory: Path) -> list[Path]:
    """Delete part files whose writer is dead; return what was removed.

    A part file of a live process is left alone: that is a crawl still writing. A recycled pid
    can make a dead writer look alive; its file then waits for a later sweep, which is harmless
    because part files are never read.
    """
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for path in sorted(directory.iterdir()):
        part = PartFile.parse(path)
        if part is None or part.writer_alive():
            continue
        try:
            path.unlink()
        except FileNotFoundError:  # another sweeper was faster
            continue
        logger.warning("Removed %s left by a killed run (pid %d)", path, part.pid)
        removed.append(path)
    return removed


def write_atomically(target: Path, write: Callable[[Path], object], *, fsync: bool = False) -> Path:
    """Have ``write`` fill ``target``'s part file, then rename it onto ``target``.

    A reader sees the old file or the new one, never half of one. If anything fails (an
    ``OSError``, an encoder's error, ``KeyboardInterrupt``) the part file is removed before the
    error goes on, so only a killed process leaves one behind for ``sweep_stale_parts``.
    ``fsync`` flushes the data to disk before the rename.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = PartFile.for_target(target, os.getpid()).path
    try:
        write(temp)
        if fsync:
            with temp.open("rb") as file:
                os.fsync(file.fileno())
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` survive a power cut, not only a process kill."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
