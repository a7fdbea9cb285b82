"""Worker processes of one distributed crawl, started the way ``newscrawl run --workers`` starts
them (one ``scrapy crawl aseanplus`` each), but by the test, so it can kill and replace them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawl.distributed.lease import EXIT_LEASE_LOST

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-27T12:00:00+00:00"  # a setting of the crawl may pin another


@dataclass(frozen=True)
class Crawl:
    """What the workers of one crawl share: the data dir, the Redis, the replica."""

    workdir: Path
    origin: str
    redis_url: str
    crawl_id: str
    settings: tuple[str, ...] = ()
    spider: str = "aseanplus"
    arguments: tuple[str, ...] = ()  # more ``-a NAME=VALUE``

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    def start(self, name: str) -> subprocess.Popen[str]:
        run_id = f"{self.crawl_id}-{name}"
        logs = self.workdir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        settings = [
            f"NEWSCRAWL_DATA_DIR={self.data_dir}",
            f"NEWSCRAWL_STATE={self.redis_url}",
            f"NEWSCRAWL_REDIS_URL={self.redis_url}",
            f"NEWSCRAWL_CRAWL_ID={self.crawl_id}",
            f"NEWSCRAWL_WORKER_NAME={name}",
            f"NEWSCRAWL_RUN_ID={run_id}",
            f"NEWSCRAWL_STATS_PATH={logs / (run_id + '.stats.json')}",
            f"NEWSCRAWL_MONITOR_RESULTS={logs / (run_id + '.monitors.json')}",
            f"NEWSCRAWL_NOW={NOW}",
            "NEWSCRAWL_REDIS_LEASE_TTL=5",
            *self.settings,
        ]
        command = [sys.executable, "-m", "scrapy", "crawl", self.spider,
                   "-a", f"base_url={self.origin}", "-a", "render=never"]
        for argument in self.arguments:
            command += ["-a", argument]
        for setting in settings:
            command += ["-s", setting]
        log = (logs / f"{run_id}.log").open("w")
        return subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                text=True, start_new_session=True)

    def wait_all(self, processes: list[subprocess.Popen[str]], timeout: float = 400.0) -> None:
        """Wait for every worker; one that exits because its heartbeat lapsed (a stall on a
        loaded machine) is replaced, as ``newscrawl run --workers`` replaces it."""
        pending = list(processes)
        replaced = 0
        while pending:
            process = pending.pop(0)
            code = process.wait(timeout=timeout)
            if code == EXIT_LEASE_LOST:
                replaced += 1
                pending.append(self.start(f"x{replaced}"))
                continue
            assert code == 0, f"a worker exited with {code}: see {self.workdir / 'logs'}"

    def stats(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text()) for p in sorted((self.workdir / "logs").glob(
            f"{self.crawl_id}-*.stats.json"))]

    def records(self) -> list[dict[str, Any]]:
        """Every record in the published story feeds of this crawl's workers."""
        found: list[dict[str, Any]] = []
        for path in sorted((self.data_dir / "runs").glob(f"{self.crawl_id}-*.jsonl")):
            found += [json.loads(line) for line in path.read_text().splitlines() if line]
        return found

    def log(self, name: str) -> str:
        return (self.workdir / "logs" / f"{self.crawl_id}-{name}.log").read_text()


def published_twice(records: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(r["url"] for r in records)
    return {url: n for url, n in counts.items() if n > 1}
