"""Benchmark of the ``aseanplus`` crawl against a bare Scrapy spider, all figures from one run.

1. 2,000-article replica, three crawls of the same pages, interleaved round by round so that
   each round sees the same machine load:

   - **bare**: a bare Scrapy spider (``BareSpider`` below: listing pages and story links only,
     no parsing), the yardstick;
   - **production**: ``scrapy crawl aseanplus -a render=never`` with the project's settings as
     shipped: item pipelines, state store (a fresh one per round, in a temporary directory, so
     every round is a first run), monitors, run manifest and the default atomic feeds;
   - **spider only**: the same crawl with the pipelines, the state and monitor extensions and
     the atomic feed storage off (the configuration measured before they were wired).

   Pages per second (responses / Scrapy's elapsed time) and peak memory (``memusage/max``) of
   each, and the ratio of each aseanplus variant's pages per second to the bare spider's, per
   round and best of the rounds. Target: production >= 0.8 of the bare spider. A missed target
   is printed (MISSED), not turned into an exit status: on a shared machine the ratio moves by
   a few hundredths from run to run. Only a crash exits non-zero.
2. 200-article replica: ``aseanplus render=auto``: pages per second, rendered pages, and the
   browser's peak memory (PSS of its processes, sampled from /proc). ``--no-render`` skips it.

Run: ``.venv/bin/python bench/bench_spider.py [--rounds 3] [--no-render]`` (``make bench``).
This file is also the bare spider's module: ``scrapy runspider bench/bench_spider.py`` finds
``BareSpider`` in it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from process_tree import ProcessMemorySampler
from replica_process import replica
from scrapy.http import Response

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BIG_SITE = 2000
RENDER_SITE = 200
ROUNDS = 3
TARGET_RATIO = 0.8
CRAWL_TIMEOUT = 240
LOOPBACK_ONLY = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"'
# The same transport limits the aseanplus spider sets for a loopback replica.
BARE_SETTINGS = {
    "CONCURRENT_REQUESTS": "32", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "True", "TELNETCONSOLE_ENABLED": "False",
    "REMOTE_CONTROL_ENABLED": "False", "LOG_LEVEL": "WARNING",
}
BARE, PRODUCTION, SPIDER_ONLY, COMPARED = "bare", "production", "spider only", "compared"
# The project's settings before the pipelines, state, monitors and atomic feeds were wired:
# only the stats dump the bench reads, and Scrapy's own file feed storage.
SPIDER_ONLY_SETTINGS = {
    "ITEM_PIPELINES": "{}",
    "EXTENSIONS": '{"newscrawl.extensions.stats_dump.StatsDumpExtension": 500}',
    "FEED_STORAGES": "{}",
}


class BareSpider(scrapy.Spider):
    """The least a crawler must do to fetch the same pages: follow the listing, fetch stories."""

    name = "bare"

    def __init__(self, base_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url

    async def start(self) -> Any:
        yield scrapy.Request(f"{self.base_url}/aseanplus/aseanplus-news", callback=self.parse)

    def parse(self, response: Response) -> Any:
        for href in response.css("h2.f18 > a::attr(href)").getall():
            path = urlsplit(response.urljoin(href)).path.rstrip("/")
            yield scrapy.Request(self.base_url + path, callback=self.story)
        next_page = response.css("a#loadMorestories::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def story(self, response: Response) -> Any:
        yield {"url": response.url}


@dataclass(frozen=True)
class Run:
    label: str
    pages: int
    seconds: float
    memory_mb: float
    items: int
    stats: dict[str, Any]

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def crawl(label: str, command: list[str], workdir: Path, cwd: Path,
          sampler: ProcessMemorySampler | None = None,
          env: dict[str, str] | None = None) -> Run:
    stats_path = workdir / f"{label.replace(' ', '-')}.stats.json"
    command = [*command, "-s", f"NEWSCRAWL_STATS_PATH={stats_path}",
               "-s", "MEMUSAGE_CHECK_INTERVAL_SECONDS=0.5"]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, env=env,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    if sampler is not None:
        sampler.watch(process.pid)
    try:
        _, stderr = process.communicate(timeout=CRAWL_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    finally:
        if sampler is not None:
            sampler.stop()
    if process.returncode != 0 or not stats_path.exists():
        raise RuntimeError(f"{label} failed ({process.returncode}): {stderr[-1500:]}")
    stats = json.loads(stats_path.read_text())
    return Run(label, int(stats.get("downloader/response_count", 0)),
               float(stats.get("elapsed_time_seconds", 0.0)),
               stats.get("memusage/max", 0) / 2**20, int(stats.get("item_scraped_count", 0)),
               stats)


def bare_run(origin: str, workdir: Path, sampler: ProcessMemorySampler | None = None) -> Run:
    # cwd outside the project: no newscrawl settings, only the bare spider's own.
    command = [str(BIN / "scrapy"), "runspider", str(Path(__file__).resolve()),
               "-a", f"base_url={origin}", "-O", str(workdir / "bare.jsonl")]
    for name, value in BARE_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    command += ["-s", 'EXTENSIONS={"newscrawl.extensions.stats_dump.StatsDumpExtension": 500}']
    return crawl("bare", command, workdir, workdir, sampler)


def aseanplus_run(origin: str, workdir: Path, render: str, variant: str = PRODUCTION,
                  sampler: ProcessMemorySampler | None = None, tree: Path = REPO,
                  settings: dict[str, str] | None = None) -> Run:
    """One ``scrapy crawl aseanplus`` with the project's settings, or the spider-only variant.

    Each run gets its own state file and data directory: a second run on the same state would
    be an incremental run (everything unchanged), a different workload. ``tree`` is the
    checkout whose code and settings run (``--compare-tree``); ``settings`` are more ``-s``
    overrides (``bench_crawl_ladder``'s layers).
    """
    label = f"{variant} render={render}" if render != "never" else variant
    run_dir = Path(tempfile.mkdtemp(prefix=f"{label.replace(' ', '-')}-", dir=workdir))
    # As ``newscrawl run`` starts a crawl (``python -m scrapy``): with the ``scrapy`` script as
    # its main, multiprocessing's spawn would run the script again in each reading process
    # (NEWSCRAWL_READ_PROCESSES), ~0.4 CPU-s and ~30 MB a process that the crawl does not pay.
    command = [sys.executable, "-m", "scrapy", "crawl", "aseanplus", "-a", f"base_url={origin}",
               "-a", f"render={render}",
               "-s", f"NEWSCRAWL_DATA_DIR={run_dir / 'data'}", "-s", "LOG_LEVEL=WARNING",
               "-s", f"NEWSCRAWL_STATE={run_dir / 'state.sqlite'}",
               "-s", f"NEWSCRAWL_BROWSER_ARGS={LOOPBACK_ONLY}"]
    if variant == SPIDER_ONLY:
        for name, value in SPIDER_ONLY_SETTINGS.items():
            command += ["-s", f"{name}={value}"]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    env = None
    if tree != REPO:
        # Ahead of the editable install of this checkout, which Python finds last.
        env = {**os.environ, "PYTHONPATH": str(tree)}
    return crawl(label, command, workdir, tree, sampler, env)


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"


def big_site_rounds(rounds: int, workdir: Path,
                    compare_tree: Path | None = None) -> dict[str, list[Run]]:
    variants = [BARE, PRODUCTION, SPIDER_ONLY] + ([COMPARED] if compare_tree else [])
    runs: dict[str, list[Run]] = {variant: [] for variant in variants}
    with replica(BIG_SITE) as origin:
        for n in range(rounds):
            # The order rotates, so that no variant always runs first (cold caches) or last.
            order = variants[n % len(variants):] + variants[:n % len(variants)]
            for variant in order:
                if variant == BARE:
                    run = bare_run(origin, workdir)
                elif variant == COMPARED:
                    assert compare_tree is not None
                    run = aseanplus_run(origin, workdir, "never", PRODUCTION, tree=compare_tree)
                    run = replace(run, label=COMPARED)
                else:
                    run = aseanplus_run(origin, workdir, "never", variant)
                runs[variant].append(run)
                print(f"  round {n + 1}: {variant:<12}{run.pages_per_second:>7.1f} pages/s",
                      flush=True)
    return runs


def report_big_site(runs: dict[str, list[Run]]) -> None:
    best = {v: max(rs, key=lambda r: r.pages_per_second) for v, rs in runs.items()}
    rounds = len(runs[BARE])
    print(f"\n{BIG_SITE} articles, render=never, {rounds} rounds "
          "(pages/s: best, and min-max of the rounds)")
    print(f"{'run':<14}{'pages':>7}{'items':>7}{'seconds':>9}{'pages/s':>9}{'spread':>15}"
          f"{'memory MB':>11}")
    for variant, run in best.items():
        values = [r.pages_per_second for r in runs[variant]]
        print(f"{variant:<14}{run.pages:>7}{run.items:>7}{run.seconds:>9.1f}"
              f"{run.pages_per_second:>9.1f}{spread(values):>15}"
              f"{max(r.memory_mb for r in runs[variant]):>11.0f}")
    print()
    for variant in [v for v in runs if v != BARE]:
        ratios = [r.pages_per_second / b.pages_per_second
                  for r, b in zip(runs[variant], runs[BARE], strict=True)]
        ratio = best[variant].pages_per_second / best[BARE].pages_per_second
        verdict = "MET" if ratio >= TARGET_RATIO else "MISSED"
        print(f"{variant:<12} / bare: {ratio:.2f} best/best, per round {spread(ratios)} "
              f"(target >= {TARGET_RATIO}: {verdict})")


def render_round(workdir: Path) -> None:
    sampler = ProcessMemorySampler()
    with replica(RENDER_SITE) as origin:
        auto = aseanplus_run(origin, workdir, "auto", PRODUCTION, sampler)
    rendered = auto.stats.get("newscrawl/rendered", 0)
    print(f"\nrender=auto, {RENDER_SITE} articles: {auto.pages} pages in {auto.seconds:.1f} s "
          f"({auto.pages_per_second:.1f} pages/s), {rendered} rendered, "
          f"{auto.stats.get('newscrawl/render_failed', 0)} failed, "
          f"{rendered / auto.seconds if auto.seconds else 0:.1f} renders/s")
    print(f"render=auto peak memory: browser {sampler.peak_mb['browser']:.0f} MB PSS "
          f"({sampler.peak_processes} processes), Playwright driver "
          f"{sampler.peak_mb['driver']:.0f} MB PSS, crawler {auto.memory_mb:.0f} MB RSS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--no-render", action="store_true", help="skip the render=auto crawl")
    parser.add_argument(
        "--compare-tree", type=Path, metavar="DIR",
        help="also crawl in production configuration with the code of another checkout "
             "(e.g. 'git archive HEAD | tar -x -C DIR'), as the variant 'compared'")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-spider-") as tmp:
        workdir = Path(tmp)
        runs = big_site_rounds(args.rounds, workdir, args.compare_tree)
        report_big_site(runs)
        if not args.no_render:
            render_round(workdir)
    print(f"bench took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
