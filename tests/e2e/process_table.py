"""The machine's processes as /proc shows them, for tests that check what a crawl leaves running
(its reading workers: ``newscrawl.spiders.read_pool``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProcessRow:
    pid: int
    parent: int
    group: int
    state: str  # "Z": ended, not yet reaped
    cmdline: bytes

    @property
    def reading_worker(self) -> bool:
        """A process spawned by ``multiprocessing`` (a reading pool's worker)."""
        return b"spawn_main" in self.cmdline


def processes() -> Iterator[ProcessRow]:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # ended while listed
            continue
        # "pid (comm) state ppid pgrp …": comm may hold spaces, so split after the last ")".
        fields = stat[stat.rindex(")") + 2:].split()
        yield ProcessRow(int(entry.name), int(fields[1]), int(fields[2]), fields[0], cmdline)
