"""A crawl's process tree, sampled from /proc: peak memory and CPU seconds by kind of process.

A browser's cost is spread over many short- and long-lived processes (browser, GPU, renderers,
network and storage utilities, zygotes, the Playwright driver). Descendants of the watched
process only, so another program's browser on the machine is not counted.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Process:
    pid: int
    name: str  # comm
    cpu: float  # utime + stime, seconds


def process_kind(name: str, cmdline: list[str]) -> str:
    """"driver" (Playwright's node), "other", or the Chromium process type: "browser" (no
    --type), "gpu-process", "renderer", "zygote", "utility:<sub-type>"."""
    if name.startswith("node"):
        return "driver"
    if "chrom" in name or "headless" in name:
        kind = next((arg.split("=", 1)[1] for arg in cmdline if arg.startswith("--type=")),
                    "browser")
        if kind == "utility":
            sub = next((arg.split("=", 1)[1] for arg in cmdline
                        if arg.startswith("--utility-sub-type=")), "?")
            return f"utility:{sub.rsplit('.', 1)[-1]}"
        return kind
    return "other"


def descendants(root: int) -> list[Process]:
    parents: dict[int, int] = {}
    processes: dict[int, Process] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may hold spaces, so split after the last ")".
        pid = int(entry.name)
        fields = stat[stat.rindex(")") + 2:].split()
        parents[pid] = int(fields[1])
        # utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after ")").
        processes[pid] = Process(pid, stat[stat.index("(") + 1:stat.rindex(")")],
                                 (int(fields[11]) + int(fields[12])) / TICKS)
    children: dict[int, list[int]] = defaultdict(list)
    for pid, ppid in parents.items():
        children[ppid].append(pid)
    found: list[Process] = []
    frontier = [root]
    while frontier:
        for pid in children.get(frontier.pop(), ()):
            found.append(processes[pid])
            frontier.append(pid)
    return found


class ProcessMemorySampler:
    """Peak PSS of a crawl's child processes, by kind: Chromium's processes, the Playwright
    driver (node), and "other" (a reading pool's workers, multiprocessing's resource
    tracker)."""

    interval = 0.25

    def __init__(self) -> None:
        self.peak_mb: dict[str, float] = {"browser": 0.0, "driver": 0.0, "other": 0.0}
        self.peak_processes = 0
        self._root = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def watch(self, pid: int) -> None:
        self._root = pid
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.take(self._root, descendants(self._root))
        self.take(self._root, descendants(self._root))  # the last word, as the crawl ends

    def take(self, root: int, processes: list[Process]) -> None:
        totals = {"browser": 0.0, "driver": 0.0, "other": 0.0}
        browsers = 0
        for process in processes:
            kind = "browser" if ("chrom" in process.name or "headless" in process.name) else (
                "driver" if process.name.startswith("node") else "other")
            totals[kind] += _pss_kb(process.pid) / 1024
            browsers += kind == "browser"
        if totals["browser"] > self.peak_mb["browser"]:
            self.peak_processes = browsers
        for kind, value in totals.items():
            self.peak_mb[kind] = max(self.peak_mb[kind], value)


class ProcessCpuSampler(ProcessMemorySampler):
    """Peak memory as above, and CPU seconds of the watched process and of each descendant,
    summed by ``process_kind``. The watched process is split by thread: "crawler" is its main
    thread (Scrapy's reactor), "crawler threads" the others (Playwright's loop, thread pools).
    A process or thread that ends is counted up to its last sample (at most ``interval`` of
    its CPU is missed)."""

    interval = 0.2

    def __init__(self) -> None:
        super().__init__()
        self._cpu: dict[int, float] = {}
        self._kind: dict[int, str] = {}

    def seconds(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for pid, cpu in self._cpu.items():
            totals[self._kind[pid]] += cpu
        return dict(totals)

    def browser_seconds(self) -> float:
        """Everything but the crawler: Chromium's processes and the Playwright driver."""
        return sum(cpu for kind, cpu in self.seconds().items() if not kind.startswith("crawler"))

    def take(self, root: int, processes: list[Process]) -> None:
        super().take(root, processes)
        # Thread ids share the pid space with processes, so they key the same dicts.
        for tid, cpu in _thread_seconds(root).items():
            self._cpu[tid] = cpu
            self._kind[tid] = "crawler" if tid == root else "crawler threads"
        for process in processes:
            self._cpu[process.pid] = process.cpu
            # Classified again each time: a child seen between fork and exec still shows its
            # parent's command line.
            self._kind[process.pid] = process_kind(process.name, _cmdline(process.pid))


def _thread_seconds(pid: int) -> dict[int, float]:
    seconds = {}
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return {}
    for task in tasks:
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        seconds[int(task.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return seconds


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    # Chromium's child processes rewrite their title into one space-separated string.
    return [arg for part in raw.split(b"\0") for arg in part.decode("utf-8", "replace").split()]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0

