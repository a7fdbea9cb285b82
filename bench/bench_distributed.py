"""Benchmark of the distributed crawl: pages per second of 1 worker with SQLite (the default,
no Redis), 1 and 2 workers sharing a Redis, on the same replica, with 0 ms and with 200 ms of
replica latency; and the Redis round trips each page costs. All measured in one run.

- A replica process per latency (``slow=1:SECONDS`` fault on every page), a fresh
  redis-server per configuration (a free port, stopped by PID), fresh state every time: every
  crawl is a first run over the same pages.
- Pages per second: responses of all workers / (last worker's finish - first worker's start,
  from Scrapy's own start and finish times, so process start-up is not counted).
- Round trips per page: what the workers' Redis clients sent (``newscrawl/redis/round_trips/*``:
  a script or a pipeline is one trip), for the frontier (queue, dupefilter, leases, politeness,
  claims) and the state store, per response; the heartbeat's trips are per second, not per page.
- The shared politeness budget is set wide (``NEWSCRAWL_REDIS_CONCURRENCY=64``): this measures
  the machinery. Against a real site the budget, shared by all workers, caps the rate whatever
  the number of workers.

- Several sections (``--sections 1,4``): a crawl of one section has one listing walk, each
  listing page found on the one before, which caps the stories found per second whatever the
  number of workers. With N sections the replica serves ``articles / N`` stories in each of
  the first N sections it lists and the crawl (``thestar -a section=...``) walks all N at once:
  about the same pages, N walks to feed the frontier.
- A fourth configuration keeps the shared budget at its default, the per-domain concurrency
  of one worker (16 on a loopback replica): what two workers get without raising it. For each
  Redis configuration the table shows the budget's peak of requests in flight (the limiter's
  own ``peak`` in Redis) and how often a reservation found it full.
- CPU: user + system seconds of the worker processes (``wait4``), per page; and the 1-minute
  load average when the configuration ended (the machine is shared).

Run: ``.venv/bin/python bench/bench_distributed.py [--articles 600] [--sections 1,4]``
(``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from replica_process import replica

from newscrawl.replica.sections import SECTIONS

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "distributed"))
from redis_server import RedisServer  # noqa: E402

ARTICLES = 600
LATENCIES = (0.0, 0.2)
TIMEOUT = 900
# Wide enough that the shared budget never binds: the machinery is measured.
WIDE_BUDGET = 64


@dataclass(frozen=True)
class Setup:
    label: str
    workers: int
    redis: bool
    budget: int | None  # NEWSCRAWL_REDIS_CONCURRENCY; None: its default


SETUPS = (
    Setup("1 worker, SQLite", 1, False, None),
    Setup("1 worker, Redis", 1, True, WIDE_BUDGET),
    Setup("2 workers, Redis", 2, True, WIDE_BUDGET),
    Setup("2 workers, Redis, default budget", 2, True, None),
)


@dataclass(frozen=True)
class Result:
    label: str
    sections: int
    latency: float
    pages: int
    seconds: float
    cpu: float
    trips: dict[str, int]
    peak: int | None  # the shared budget's most requests in flight
    full: int  # reservations that found the budget full
    load: float

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def per_page(self, purpose: str) -> float:
        return self.trips.get(purpose, 0) / self.pages if self.pages else 0.0


def crawl(workdir: Path, origin: str, sections: int, setup: Setup,
          redis_url: str | None) -> tuple[list[dict[str, Any]], float]:
    """The workers' stats, and their CPU seconds."""
    processes = []
    for k in range(1, setup.workers + 1):
        run_id = f"bench-w{k}"
        settings = [f"NEWSCRAWL_DATA_DIR={workdir / 'data'}", f"NEWSCRAWL_RUN_ID={run_id}",
                    f"NEWSCRAWL_STATS_PATH={workdir / (run_id + '.stats.json')}",
                    f"NEWSCRAWL_MONITOR_RESULTS={workdir / (run_id + '.monitors.json')}",
                    "NEWSCRAWL_NOW=2026-11-27T12:00:00+00:00", "LOG_LEVEL=WARNING"]
        if redis_url:
            settings += [f"NEWSCRAWL_REDIS_URL={redis_url}", f"NEWSCRAWL_STATE={redis_url}",
                         "NEWSCRAWL_CRAWL_ID=bench", f"NEWSCRAWL_WORKER_NAME=w{k}"]
            if setup.budget is not None:
                settings.append(f"NEWSCRAWL_REDIS_CONCURRENCY={setup.budget}")
        else:
            settings.append(f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}")
        if sections == 1:
            spider = ["aseanplus"]
        else:
            keys = ",".join(s.path.strip("/") for s in SECTIONS[:sections])
            spider = ["thestar", "-a", f"section={keys}"]
        command = [sys.executable, "-m", "scrapy", "crawl", *spider, "-a",
                   f"base_url={origin}", "-a", "render=never"]
        for setting in settings:
            command += ["-s", setting]
        processes.append(subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
    cpu = 0.0
    for process in processes:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"a worker exited with {process.returncode}")
        cpu += usage.ru_utime + usage.ru_stime
    stats = [json.loads((workdir / f"bench-w{k}.stats.json").read_text())
             for k in range(1, setup.workers + 1)]
    return stats, cpu


def measure(setup: Setup, sections: int, latency: float, origin: str) -> Result:
    peak: int | None = None
    with tempfile.TemporaryDirectory(prefix="bench-distributed-") as tmp:
        workdir = Path(tmp)
        if setup.redis:
            with RedisServer(workdir / "redis") as server:
                stats, cpu = crawl(workdir, origin, sections, setup, server.url)
                domain = urlsplit(origin).hostname
                state = server.client().hget(f"newscrawl:rate:{domain}:state", "peak")
                peak = int(state) if state is not None else None
        else:
            stats, cpu = crawl(workdir, origin, sections, setup, None)
    start = min(datetime.fromisoformat(s["start_time"]) for s in stats)
    finish = max(datetime.fromisoformat(s["finish_time"]) for s in stats)
    trips: dict[str, int] = {}
    for s in stats:
        for key, value in s.items():
            if key.startswith("newscrawl/redis/round_trips/"):
                purpose = key.rsplit("/", 1)[1]
                trips[purpose] = trips.get(purpose, 0) + int(value)
    pages = sum(int(s.get("downloader/response_count", 0)) for s in stats)
    full = sum(int(s.get("newscrawl/rate/full", 0)) for s in stats)
    return Result(setup.label, sections, latency, pages, (finish - start).total_seconds(), cpu,
                  trips, peak, full, os.getloadavg()[0])


def section_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or not all(1 <= n <= len(SECTIONS) for n in counts):
        raise argparse.ArgumentTypeError(f"sections must be 1 to {len(SECTIONS)}: {text!r}")
    return counts


def latencies(text: str) -> list[float]:
    return [int(part) / 1000 for part in text.split(",") if part.strip()]


def row(r: Result, base: float) -> str:
    trips = f"{r.per_page('frontier'):.2f} + {r.per_page('state'):.2f}" if r.trips else "-"
    budget = f"{r.peak} ({r.full} full)" if r.peak is not None else "-"
    return (f"| {r.sections} | {r.latency * 1000:.0f} ms | {r.label} | {r.pages} | {r.rate:.1f} "
            f"| {r.rate / base:.2f}x | {r.cpu / r.pages * 1000:.1f} | {trips} | {budget} "
            f"| {r.load:.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--sections", type=section_counts, default=[1, len(SECTIONS)],
                        help="numbers of sections crawled at once, comma-separated")
    parser.add_argument("--latencies", type=latencies, default=list(LATENCIES),
                        help="replica latencies in ms, comma-separated (default 0,200)")
    args = parser.parse_args()
    results: list[Result] = []
    for sections in args.sections:
        per_section = args.articles // sections
        for latency in args.latencies:
            with replica(per_section, seed=1, latency=latency,
                         section_articles=per_section if sections > 1 else 0) as origin:
                for setup in SETUPS:
                    r = measure(setup, sections, latency, origin)
                    results.append(r)
                    print(f"{sections} section(s) {setup.label:33} latency "
                          f"{latency * 1000:3.0f} ms: {r.pages} pages in {r.seconds:.1f} s = "
                          f"{r.rate:6.1f} pages/s, {r.cpu / r.pages * 1000:.1f} CPU ms/page, "
                          f"load {r.load:.1f}", flush=True)
    print()
    print("| sections | replica latency | configuration | pages | pages/s | vs 1 worker SQLite "
          "| CPU ms/page | Redis round trips/page (frontier + state) | budget peak in flight "
          "| load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for sections in args.sections:
        for latency in args.latencies:
            rows = [r for r in results if r.latency == latency and r.sections == sections]
            for r in rows:
                print(row(r, rows[0].rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
