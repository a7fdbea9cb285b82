"""What each layer of the production crawl adds per page over a bare spider, in one run.

On one replica (``--articles``, default 2,000), rounds run a ladder of crawls of the same pages,
the order rotating each round so that no layer always runs first or last:

- **bare**: ``bench_spider.BareSpider`` (listing and story links only), the yardstick;
- **spider**: ``scrapy crawl aseanplus -a render=never`` reading every page, with no item
  pipelines, no feed export, none of the project's extensions and no spidermon (only the
  stats dump the bench reads, and the garbage collector's tuning, which is the process's);
- **+ pipelines**: the item pipelines as shipped;
- **+ feeds**: Scrapy's feed exporter with the project's atomic feeds;
- **+ state**: the state and run extensions (state commit, pending stories, run lock, storage
  check, crawl failure, story tally, dropped redirects);
- **production**: everything as shipped (+ spidermon, the manifest, progress, nothing-new).

``--candidate NAME=JSON`` adds production with more ``-s`` settings (a JSON object of setting
name to value) as one more rung: a cut (or, with the old value, the state before a cut)
measured against production in the same rounds; ``--no-ladder`` runs only bare, production
and the candidates.

Per crawl: CPU seconds of the crawler process and every process it started and reaped
(``RUSAGE_CHILDREN``: a reading pool's workers, ``NEWSCRAWL_READ_PROCESSES``), user + system,
start-up included, per page, which a loaded machine blurs less than the wall clock, and pages
per second. Each crawl's process tree is sampled from /proc: the part of that CPU spent outside
the crawler process ("pool ms"), and the peak PSS of those processes ("pool MB"), which the
crawler's own peak RSS ("peak MB", Scrapy's ``memusage/max``) leaves out. Printed: medians of
the rounds per layer, the step from the layer before, pages/s against the bare spider's in the
same round, and the 1-minute load average.

Run: ``.venv/bin/python bench/bench_crawl_ladder.py [--rounds 2] [--articles 2000]
[--candidate name='{"SETTING": value}']``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from bench_crawl_cost import Measured, alternated, took
from bench_spider import Run, aseanplus_run, bare_run
from process_tree import ProcessCpuSampler

from newscrawl import settings as project

ARTICLES = 2000
# Put beside a run's stats by ``sampled``: its child processes' peak PSS and CPU seconds.
POOL_MB = "bench/pool_peak_mb"
POOL_CPU = "bench/pool_cpu_seconds"
# The crawler process's threads but its main one (the reactor's): a reading pool's feeder and
# result threads, which share the main thread's GIL.
THREADS_CPU = "bench/thread_cpu_seconds"
ROUNDS = 2
STATS_DUMP = "newscrawl.extensions.stats_dump.StatsDumpExtension"
# On in every rung: it tunes the whole process's garbage collector (gen0 threshold, start-up
# objects frozen), and without it every rung pays a collector cost that grows with the heap,
# which the first rung to turn it on would seem to save.
GC_TUNING = "newscrawl.extensions.gc_tuning.GcTuningExtension"
FEED_EXPORTER = "scrapy.extensions.feedexport.FeedExporter"
# The project's extensions that keep the state and judge the run, not the monitors' reports.
STATE_EXTENSIONS = (
    "newscrawl.extensions.storage_check.StorageCheckExtension",
    "newscrawl.extensions.run_lock.RunLockExtension",
    "newscrawl.state.commit.StateCommitExtension",
    "newscrawl.extensions.pending_stories.PendingStoriesExtension",
    "newscrawl.crawl_failure.CrawlFailureExtension",
    "newscrawl.monitors.tally.StoryTallyExtension",
    "newscrawl.spiders.dropped.DroppedRedirectExtension",
)


def extensions(*names: str, feeds: bool = True) -> str:
    chosen = {name: project.EXTENSIONS[name] for name in (STATS_DUMP, GC_TUNING, *names)}
    return json.dumps({**chosen, **({} if feeds else {FEED_EXPORTER: None})})


LADDER: dict[str, dict[str, str]] = {
    "spider": {"ITEM_PIPELINES": "{}", "EXTENSIONS": extensions(feeds=False),
               "SPIDERMON_ENABLED": "False"},
    "+ pipelines": {"EXTENSIONS": extensions(feeds=False), "SPIDERMON_ENABLED": "False"},
    "+ feeds": {"EXTENSIONS": extensions(), "SPIDERMON_ENABLED": "False"},
    "+ state": {"EXTENSIONS": extensions(*STATE_EXTENSIONS), "SPIDERMON_ENABLED": "False"},
    "production": {},
}


def ladder_rounds(articles: int, rounds: int, workdir: Path,
                  candidates: dict[str, dict[str, str]],
                  ladder: bool = True) -> dict[str, list[Measured]]:
    layers = {**(LADDER if ladder else {"production": {}}), **candidates}
    crawls: dict[str, Callable[[str], Run]] = {
        "bare": sampled(partial(bare_run, workdir=workdir))}
    for name, overrides in layers.items():
        crawls[name] = sampled(partial(aseanplus_run, workdir=workdir, render="never",
                                       variant=name, settings=overrides))
    return alternated(articles, rounds, crawls)


def sampled(crawl: Callable[..., Run]) -> Callable[[str], Run]:
    """The crawl with its process tree sampled (every rung alike, so the sampling's own cost
    is the same for all): its child processes' peak memory and CPU, beside its stats."""
    def run(origin: str) -> Run:
        sampler = ProcessCpuSampler()
        result = crawl(origin, sampler=sampler)
        seconds = sampler.seconds()
        children = sum(cpu for kind, cpu in seconds.items() if not kind.startswith("crawler"))
        return replace(result, stats={**result.stats, POOL_MB: sampler.peak_mb["other"],
                                      POOL_CPU: children,
                                      THREADS_CPU: seconds.get("crawler threads", 0.0)})
    return run


def _median(measured_runs: list[Measured], value: Callable[[Measured], Any]) -> float:
    return float(statistics.median(value(m) for m in measured_runs))


def report(runs: dict[str, list[Measured]]) -> None:
    print(f"\n{'layer':<14}{'pages':>7}{'items':>7}{'pages/s':>9}{'/bare':>7}"
          f"{'CPU ms/page':>13}{'pool ms':>9}{'thr ms':>8}{'step':>8}{'vs bare':>9}{'peak MB':>9}"
          f"{'pool MB':>9}   (medians of the rounds; /bare: pages/s against the bare "
          "spider's in the same round; CPU includes the pool's; thr: the crawler's threads but "
          "its main one)")
    bare = statistics.median(m.cpu_ms_per_page for m in runs["bare"])
    before = bare
    for name, measured_runs in runs.items():
        cpu = statistics.median(m.cpu_ms_per_page for m in measured_runs)
        # Candidates are cuts of production: their step is from production, not the rung above.
        base = statistics.median(m.cpu_ms_per_page for m in runs["production"]) \
            if name not in LADDER and name != "bare" else before
        pool = _median(measured_runs, lambda m: 1000 * m.run.stats[POOL_CPU] / m.run.pages)
        threads = _median(measured_runs,
                          lambda m: 1000 * m.run.stats[THREADS_CPU] / m.run.pages)
        speed = statistics.median(
            m.run.pages_per_second / b.run.pages_per_second
            for m, b in zip(measured_runs, runs["bare"], strict=True))
        print(f"{name:<14}"
              f"{_median(measured_runs, lambda m: m.run.pages):>7.0f}"
              f"{_median(measured_runs, lambda m: m.run.items):>7.0f}"
              f"{_median(measured_runs, lambda m: m.run.pages_per_second):>9.1f}"
              f"{speed:>6.2f}x{cpu:>13.2f}"
              f"{pool:>9.2f}{threads:>8.2f}"
              f"{cpu - base:>+8.2f}{bare / cpu:>8.2f}x"
              f"{_median(measured_runs, lambda m: m.run.memory_mb):>9.0f}"
              f"{_median(measured_runs, lambda m: m.run.stats[POOL_MB]):>9.0f}")
        if name in LADDER or name == "bare":
            before = cpu


def candidate(text: str) -> tuple[str, dict[str, str]]:
    name, _, overrides = text.partition("=")
    values = json.loads(overrides)
    return name, {key: value if isinstance(value, str) else json.dumps(value)
                  for key, value in values.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--candidate", type=candidate, action="append", default=[],
                        metavar="NAME=JSON", help="production with these -s settings too")
    parser.add_argument("--no-ladder", action="store_true",
                        help="only bare, production and the candidates (an A/B of a cut)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-crawl-ladder-") as tmp:
        runs = ladder_rounds(args.articles, args.rounds, Path(tmp), dict(args.candidate),
                             ladder=not args.no_ladder)
    report(runs)
    print(took(started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
