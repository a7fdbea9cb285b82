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

Run: ``.venv/bin/python bench/bench_distributed.py [--articles 600]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from replica_process import replica

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "distributed"))
from redis_server import RedisServer  # noqa: E402

ARTICLES = 600
LATENCIES = (0.0, 0.2)
TIMEOUT = 900


@dataclass(frozen=True)
class Result:
    label: str
    latency: float
    pages: int
    seconds: float
    trips: dict[str, int]

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def per_page(self, purpose: str) -> float:
        return self.trips.get(purpose, 0) / self.pages if self.pages else 0.0


def crawl(workdir: Path, origin: str, workers: int, redis_url: str | None) -> list[dict[str, Any]]:
    processes = []
    for k in range(1, workers + 1):
        run_id = f"bench-w{k}"
        settings = [f"NEWSCRAWL_DATA_DIR={workdir / 'data'}", f"NEWSCRAWL_RUN_ID={run_id}",
                    f"NEWSCRAWL_STATS_PATH={workdir / (run_id + '.stats.json')}",
                    f"NEWSCRAWL_MONITOR_RESULTS={workdir / (run_id + '.monitors.json')}",
                    "NEWSCRAWL_NOW=2026-11-27T12:00:00+00:00", "LOG_LEVEL=WARNING"]
        if redis_url:
            settings += [f"NEWSCRAWL_REDIS_URL={redis_url}", f"NEWSCRAWL_STATE={redis_url}",
                         "NEWSCRAWL_CRAWL_ID=bench", f"NEWSCRAWL_WORKER_NAME=w{k}",
                         "NEWSCRAWL_REDIS_CONCURRENCY=64"]
        else:
            settings.append(f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}")
        command = [sys.executable, "-m", "scrapy", "crawl", "aseanplus", "-a",
                   f"base_url={origin}", "-a", "render=never"]
        for setting in settings:
            command += ["-s", setting]
        processes.append(subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
    for process in processes:
        if process.wait(timeout=TIMEOUT) != 0:
            raise RuntimeError(f"a worker exited with {process.returncode}")
    return [json.loads((workdir / f"bench-w{k}.stats.json").read_text())
            for k in range(1, workers + 1)]


def measure(label: str, latency: float, origin: str, workers: int, redis: bool) -> Result:
    with tempfile.TemporaryDirectory(prefix="bench-distributed-") as tmp:
        workdir = Path(tmp)
        if redis:
            with RedisServer(workdir / "redis") as server:
                stats = crawl(workdir, origin, workers, server.url)
        else:
            stats = crawl(workdir, origin, workers, None)
    start = min(datetime.fromisoformat(s["start_time"]) for s in stats)
    finish = max(datetime.fromisoformat(s["finish_time"]) for s in stats)
    trips: dict[str, int] = {}
    for s in stats:
        for key, value in s.items():
            if key.startswith("newscrawl/redis/round_trips/"):
                purpose = key.rsplit("/", 1)[1]
                trips[purpose] = trips.get(purpose, 0) + int(value)
    pages = sum(int(s.get("downloader/response_count", 0)) for s in stats)
    return Result(label, latency, pages, (finish - start).total_seconds(), trips)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    args = parser.parse_args()
    results: list[Result] = []
    for latency in LATENCIES:
        with replica(args.articles, seed=1, latency=latency) as origin:
            for label, workers, redis in (("1 worker, SQLite", 1, False),
                                          ("1 worker, Redis", 1, True),
                                          ("2 workers, Redis", 2, True)):
                result = measure(label, latency, origin, workers, redis)
                results.append(result)
                print(f"{label:18} latency {latency * 1000:3.0f} ms: {result.pages} pages in "
                      f"{result.seconds:.1f} s = {result.rate:6.1f} pages/s", flush=True)
    print()
    print("| replica latency | configuration | pages/s | vs 1 worker SQLite | Redis round "
          "trips/page (frontier + state) |")
    print("|---|---|---|---|---|")
    for latency in LATENCIES:
        rows = [r for r in results if r.latency == latency]
        base = rows[0].rate
        for r in rows:
            trips = (f"{r.per_page('frontier'):.2f} + {r.per_page('state'):.2f}"
                     if r.trips else "-")
            print(f"| {latency * 1000:.0f} ms | {r.label} | {r.rate:.1f} | "
                  f"{r.rate / base:.2f}x | {trips} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
