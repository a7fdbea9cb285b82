"""The single-process crawl's own cost: production crawl vs a bare spider, at 1,000 and 10,000
stories, all figures from one run on the same replicas.

For each replica size (``--sizes``, default 1,000 and 10,000 articles), rounds alternate a bare
Scrapy spider (``bench_spider.BareSpider``: listing and story links only) and the production
crawl (``scrapy crawl aseanplus -a render=never`` with the project's settings as shipped:
pipelines, state store, monitors, atomic feeds; a fresh state per round, so every round is a
first run). Per crawl: pages per second (responses / Scrapy's elapsed time), CPU seconds per
page (the child's user + system time, which a loaded machine inflates less than the wall
clock), and peak RSS (``memusage/max``, sampled every 0.5 s). Printed: medians of the rounds,
the production / bare ratio of pages per second (goal >= 0.8) and of CPU per page, and peak
memory at the largest size over the smallest (goal <= 1.2). A missed goal is printed (MISSED),
not turned into an exit status: the machine is shared and the ratios move from run to run.

``--compare-tree DIR`` adds the production crawl run with another checkout's code (e.g. the
main branch) as the variant ``compared``, in the same rounds: a before/after in one run.

Run: ``.venv/bin/python bench/bench_crawl_cost.py [--rounds 3] [--sizes 1000 10000]
[--compare-tree DIR]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import bench_spider
from bench_spider import Run, aseanplus_run, bare_run
from replica_process import replica

SIZES = (1000, 10000)
ROUNDS = 3
RATIO_GOAL = 0.8
MEMORY_GOAL = 1.2
# A 10,000-story crawl on a loaded 2-core machine takes minutes, not the 240 s bench_spider allows.
bench_spider.CRAWL_TIMEOUT = 3600


@dataclass(frozen=True)
class Measured:
    run: Run
    cpu_seconds: float

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.run.pages if self.run.pages else 0.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(crawl: Callable[[], Run]) -> Measured:
    # The replica is a child too, but it is reaped only when it stops: only the crawl counts.
    before = children_cpu()
    run = crawl()
    return Measured(run, children_cpu() - before)


def alternated(articles: int, rounds: int,
               crawls: dict[str, Callable[[str], Run]]) -> dict[str, list[Measured]]:
    """``rounds`` rounds of every crawl (given the replica's origin) on one replica, the order
    rotating, so that no variant always runs first or last; each printed as it ends."""
    names = list(crawls)
    runs: dict[str, list[Measured]] = {name: [] for name in names}
    with replica(articles) as origin:
        for n in range(rounds):
            for name in names[n % len(names):] + names[:n % len(names)]:
                result = measured(partial(crawls[name], origin))
                runs[name].append(result)
                print(f"  {articles} articles, round {n + 1}: {name:<14}"
                      f"{result.run.pages_per_second:>7.1f} pages/s "
                      f"{result.cpu_ms_per_page:>6.2f} ms CPU/page {result.run.items:>6} items "
                      f"{result.run.memory_mb:>5.0f} MB  load {os.getloadavg()[0]:.1f}",
                      flush=True)
    return runs


def size_rounds(articles: int, rounds: int, workdir: Path,
                compare_tree: Path | None = None) -> dict[str, list[Measured]]:
    crawls: dict[str, Callable[[str], Run]] = {
        "bare": partial(bare_run, workdir=workdir),
        "production": partial(aseanplus_run, workdir=workdir, render="never"),
    }
    if compare_tree is not None:
        crawls["compared"] = partial(aseanplus_run, workdir=workdir, render="never",
                                     tree=compare_tree)
    return alternated(articles, rounds, crawls)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(results: dict[int, dict[str, list[Measured]]]) -> None:
    print(f"\n{'articles':>8} {'run':<11}{'pages':>7}{'items':>7}{'pages/s':>9}"
          f"{'CPU ms/page':>13}{'peak MB':>9}   (medians of the rounds)")
    for articles, runs in results.items():
        for variant, measured_runs in runs.items():
            print(f"{articles:>8} {variant:<11}"
                  f"{median([m.run.pages for m in measured_runs]):>7.0f}"
                  f"{median([m.run.items for m in measured_runs]):>7.0f}"
                  f"{median([m.run.pages_per_second for m in measured_runs]):>9.1f}"
                  f"{median([m.cpu_ms_per_page for m in measured_runs]):>13.2f}"
                  f"{median([m.run.memory_mb for m in measured_runs]):>9.0f}")
    print()
    for articles, runs in results.items():
        for variant in [v for v in runs if v != "bare"]:
            ratios = [p.run.pages_per_second / b.run.pages_per_second
                      for p, b in zip(runs[variant], runs["bare"], strict=True)]
            cpu = [b.cpu_ms_per_page / p.cpu_ms_per_page
                   for p, b in zip(runs[variant], runs["bare"], strict=True)]
            verdict = "MET" if median(ratios) >= RATIO_GOAL else "MISSED"
            print(f"{articles} articles: {variant} / bare pages/s {median(ratios):.2f} "
                  f"(rounds {min(ratios):.2f}-{max(ratios):.2f}; goal >= {RATIO_GOAL}: "
                  f"{verdict}); by CPU per page {median(cpu):.2f}")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for variant in results[small]:
            low = median([m.run.memory_mb for m in results[small][variant]])
            high = median([m.run.memory_mb for m in results[large][variant]])
            ratio = high / low if low else 0.0
            goal = (f" (goal <= {MEMORY_GOAL}: {'MET' if ratio <= MEMORY_GOAL else 'MISSED'})"
                    if variant != "bare" else "")
            print(f"{variant} peak memory {small} -> {large} articles: {low:.0f} -> {high:.0f} MB, "
                  f"{ratio:.2f}x{goal}")


def took(started: float) -> str:
    """The bench's wall time since ``started`` (monotonic) and the load it ran under."""
    return (f"bench took {time.monotonic() - started:.0f} s; load average at the end "
            f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--compare-tree", type=Path, metavar="DIR",
                        help="also run the production crawl with this checkout's code")
    args = parser.parse_args(argv)
    started = time.monotonic()
    results: dict[int, dict[str, list[Measured]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-crawl-cost-") as tmp:
        for articles in args.sizes:
            results[articles] = size_rounds(articles, args.rounds, Path(tmp), args.compare_tree)
    report(results)
    print(took(started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
