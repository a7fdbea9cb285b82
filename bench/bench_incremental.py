"""Benchmark of an incremental run: the second run against an unchanged 2,000-article replica.

Run 1 crawls a synthetic replica (``newscrawl replica serve --articles 2000 --seed 1``) into an
empty state store; then two second runs, each on its own copy of the state run 1 left:

- **nothing revisited**: ``NEWSCRAWL_NOW`` 3 days after the newest story, so the revisit window
  (``NEWSCRAWL_REVISIT_DAYS``, 2) holds no story: the run reads listing pages and the RSS feed;
- **2-day window**: ``NEWSCRAWL_NOW`` 1 hour after the newest story, so the stories of the last
  two days are fetched again (to catch edits) and found unchanged.

For each: requests (``downloader/request_count``), listing pages, story pages fetched, records
emitted, wall time of the process and Scrapy's elapsed time, and each second run's share of run
1. Target (issue 4): a second run's requests <= its listing pages + 2 % of the articles. The
request counts do not depend on the machine, so a missed target exits 1; the times are
printed only (the machine is shared).

Run: ``.venv/bin/python bench/bench_incremental.py [--articles 2000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from replica_process import replica

from newscrawl.replica import synthetic_site

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ARTICLES = 2000
SEED = 1
TARGET_SHARE = 0.02  # of the articles, on top of the listing pages
CRAWL_TIMEOUT = 600
OVERHEAD = 2  # robots.txt and the RSS feed: every run fetches them


@dataclass(frozen=True)
class Run:
    label: str
    wall: float
    stats: dict[str, Any]

    def count(self, key: str) -> int:
        return int(self.stats.get(key) or 0)

    @property
    def requests(self) -> int:
        return self.count("downloader/request_count")

    @property
    def listing_pages(self) -> int:
        return self.count("newscrawl/listing_pages")

    @property
    def stories(self) -> int:
        return self.requests - OVERHEAD - self.listing_pages

    @property
    def emitted(self) -> int:
        return self.count("newscrawl/tally/stories")

    @property
    def elapsed(self) -> float:
        return float(self.stats.get("elapsed_time_seconds") or 0.0)


def crawl(label: str, origin: str, workdir: Path, state: Path, now: datetime,
          settings: tuple[str, ...] = ()) -> Run:
    stats_path = workdir / f"{label}.stats.json"
    command = [
        str(BIN / "scrapy"), "crawl", "aseanplus", "-a", f"base_url={origin}",
        "-a", "render=never", "-s", f"NEWSCRAWL_DATA_DIR={workdir / label}",
        "-s", f"NEWSCRAWL_STATE={state}", "-s", f"NEWSCRAWL_STATS_PATH={stats_path}",
        "-s", f"NEWSCRAWL_NOW={now.isoformat()}", "-s", "LOG_LEVEL=WARNING",
    ]
    for setting in settings:
        command += ["-s", setting]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=CRAWL_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    wall = time.monotonic() - started
    if process.returncode != 0 or not stats_path.exists():
        raise RuntimeError(f"{label} failed ({process.returncode}): {stderr[-1500:]}")
    return Run(label, wall, json.loads(stats_path.read_text()))


def copy_state(state: Path, dest: Path) -> Path:
    """The state file as run 1 left it (and its WAL, if a checkpoint left one)."""
    dest.mkdir(parents=True)
    for suffix in ("", "-wal"):
        source = state.with_name(state.name + suffix)
        if source.exists():
            shutil.copy2(source, dest / source.name)
    return dest / state.name


def row(label: str, run: Run) -> str:
    return (f"{label:<28} {run.requests:>8} {run.listing_pages:>8} {run.stories:>8} "
            f"{run.emitted:>8} {run.wall:>8.1f} {run.elapsed:>9.1f}")


def share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    args = parser.parse_args(argv)
    newest = max(a.published for a in synthetic_site(args.articles, SEED).articles)
    variants = {
        "run 2, nothing revisited": newest + timedelta(days=3),
        "run 2, 2-day window": newest + timedelta(hours=1),
    }
    missed = False
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp, \
            replica(args.articles) as origin:
        workdir = Path(tmp)
        state = workdir / "run1" / "state.sqlite"
        first = crawl("run1", origin, workdir, state, newest + timedelta(days=3))
        seconds = {label: crawl(f"run2-{i}", origin, workdir,
                                copy_state(state, workdir / f"state{i}"), now)
                   for i, (label, now) in enumerate(variants.items())}
    print(f"Incremental runs, {args.articles:,}-article synthetic replica (seed {SEED}), "
          f"render=never; newest story {newest.isoformat()}")
    print(f"{'':<28} {'requests':>8} {'listing':>8} {'stories':>8} {'emitted':>8} "
          f"{'wall s':>8} {'scrapy s':>9}")
    print(row("run 1 (empty state)", first))
    for label, run in seconds.items():
        print(row(label, run))
    for label, run in seconds.items():
        budget = run.listing_pages + int(TARGET_SHARE * args.articles)
        verdict = "OK" if run.requests <= budget else "MISSED"
        missed = missed or verdict == "MISSED"
        print(f"{label}: {share(run.requests, first.requests)} of run 1's requests, "
              f"{share(run.wall, first.wall)} of its wall time "
              f"({share(run.elapsed, first.elapsed)} of Scrapy's elapsed); revisited "
              f"{run.count('newscrawl/revisit')}; target requests <= {run.listing_pages} "
              f"listing + {TARGET_SHARE:.0%} of {args.articles:,} = {budget}: {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
