"""Benchmark of the browser's fixed cost per run: which Chromium, and where its CPU goes.

For each ``--others-source`` mode, one synthetic replica (2,000 articles by default) crawled
``--repeat`` rounds of three crawls, the order rotating each round (a machine whose load
drifts favours none):

- ``never``: ``render=never``, the plain crawl;
- ``auto shell``: ``render=auto`` with a headless shell (what ``newscrawl.browser`` picks
  when one is installed: Debian's ``chromium-headless-shell`` here);
- ``auto full``: ``render=auto`` with full Chromium (``NEWSCRAWL_BROWSER_PATH``), the
  fallback, and what every run used before.

Each crawl is a learning run (new state). Per crawl: stories/s (whole crawl, Scrapy's elapsed
time), its ratio to the same round's ``never``, CPU seconds of the crawler process (its main
thread, and its other threads: Playwright's loop among them) and of
every browser process by kind (browser, gpu-process, renderer, zygote, network/storage
utilities, the Playwright driver; utime+stime from /proc, summed over the crawl's process
tree), rendered stories, and peak memory (crawler RSS + browser and driver PSS). Then, per
browser, the launch alone: Playwright's driver and the browser started and closed again,
with nothing rendered, so ``(browser CPU-s - launch) / rendered`` is the cost of one render.

Medians over the rounds; the 1-minute load average before and after each mode. CPU seconds
are the figure to trust on a shared machine; stories/s moves with the load.

Run: ``.venv/bin/python bench/bench_browser_cost.py [--articles 2000] [--repeat 2]
[--modes inline,remote] [--full /usr/lib/chromium/chromium]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import bench_spider
from bench_spider import BIN, LOOPBACK_ONLY, REPO, crawl
from playwright.async_api import async_playwright
from process_tree import ProcessCpuSampler
from replica_process import replica
from table import print_table

from newscrawl.browser import SYSTEM_FULL_BROWSERS, find_browser, is_headless_shell
from newscrawl.rendering import BASE_BROWSER_ARGS

NOW = "2025-07-10T00:00:00+08:00"
bench_spider.CRAWL_TIMEOUT = 1200
# Process kinds (process_cpu.process_kind) and their short names in the table.
KINDS = {"browser": "browser", "gpu-process": "gpu", "renderer": "renderer", "zygote": "zygote",
         "utility:NetworkService": "network", "utility:StorageService": "storage",
         "driver": "driver"}


@dataclass(frozen=True)
class Result:
    stories: int
    seconds: float
    rendered: int
    cpu: dict[str, float]  # by process kind, "crawler" included
    memory_mb: float

    @property
    def per_second(self) -> float:
        return self.stories / self.seconds if self.seconds else 0.0

    @property
    def browser_cpu(self) -> float:
        return sum(value for kind, value in self.cpu.items() if not kind.startswith("crawler"))


def run(origin: str, render: str, executable: str | None, workdir: Path, label: str) -> Result:
    run_dir = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=workdir))
    command = [str(BIN / "scrapy"), "crawl", "aseanplus", "-a", f"base_url={origin}",
               "-a", f"render={render}", "-O", str(run_dir / "stories.jsonl"),
               "-s", f"NEWSCRAWL_DATA_DIR={run_dir / 'data'}", "-s", "LOG_LEVEL=WARNING",
               "-s", f"NEWSCRAWL_STATE={run_dir / 'state.sqlite'}", "-s", f"NEWSCRAWL_NOW={NOW}",
               "-s", f"NEWSCRAWL_BROWSER_ARGS={LOOPBACK_ONLY}"]
    if executable:
        command += ["-s", f"NEWSCRAWL_BROWSER_PATH={executable}"]
    sampler = ProcessCpuSampler()
    result = crawl(label, command, run_dir, REPO, sampler)
    memory = result.memory_mb + sampler.peak_mb["browser"] + sampler.peak_mb["driver"]
    return Result(result.items, result.seconds,
                  int(result.stats.get("newscrawl/others/rendered", 0)), sampler.seconds(), memory)


def launch_cost(executable: str) -> float:
    """CPU-s of Playwright's driver and the browser (with a context) started and closed."""
    sampler = ProcessCpuSampler()
    sampler.watch(os.getpid())

    async def launch() -> None:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=executable, headless=True,
                args=[*BASE_BROWSER_ARGS, LOOPBACK_ONLY.replace('"', "")])
            await browser.new_context()
            await browser.close()

    asyncio.run(launch())
    sampler.stop()
    return sampler.browser_seconds()


def median_cpu(results: list[Result]) -> dict[str, float]:
    kinds = {kind for result in results for kind in result.cpu}
    return {kind: statistics.median(r.cpu.get(kind, 0.0) for r in results) for kind in kinds}


def bench_mode(mode: str, articles: int, repeat: int, browsers: dict[str, str],
               workdir: Path) -> list[list[str]]:
    load_before = os.getloadavg()[0]
    variants = ["never", *browsers]
    results: dict[str, list[Result]] = {variant: [] for variant in variants}
    ratios: dict[str, list[float]] = {variant: [] for variant in browsers}
    with replica(articles, others_source=mode) as origin:
        for turn in range(repeat):
            order = variants[turn % len(variants):] + variants[:turn % len(variants)]
            this_round: dict[str, Result] = {}
            for variant in order:
                render = "never" if variant == "never" else "auto"
                this_round[variant] = run(origin, render, browsers.get(variant), workdir,
                                          f"{mode}-{variant.replace(' ', '-')}-{turn}")
                results[variant].append(this_round[variant])
            for variant in browsers:
                ratios[variant].append(this_round[variant].per_second
                                       / this_round["never"].per_second)
    load = f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"
    rows = []
    for variant in variants:
        runs = results[variant]
        cpu = median_cpu(runs)
        browser_cpu = statistics.median(r.browser_cpu for r in runs)
        rendered = statistics.median(r.rendered for r in runs)
        if variant == "never":
            ratio, launch, per_render = "1", "-", "-"
        else:
            spread = sorted(ratios[variant])
            ratio = (f"{statistics.median(spread):.2f} ({spread[0]:.2f}-{spread[-1]:.2f})")
            launched = launch_cost(browsers[variant])
            launch = f"{launched:.1f}"
            per_render = (f"{(browser_cpu - launched) / rendered:.2f}" if rendered else "-")
        by_kind = " ".join(f"{short} {cpu[kind]:.1f}" for kind, short in KINDS.items()
                           if cpu.get(kind, 0.0) >= 0.05)
        rows.append([mode, variant, f"{statistics.median(r.per_second for r in runs):.1f}",
                     ratio,
                     f"{cpu.get('crawler', 0.0):.1f} + {cpu.get('crawler threads', 0.0):.1f}",
                     f"{browser_cpu:.1f}",
                     by_kind or "-", f"{rendered:.0f}", launch, per_render,
                     f"{max(r.memory_mb for r in runs):.0f}", load])
    return rows


HEADER = ["mode", "crawl", "stories/s", "x never (range)", "crawler CPU-s main + threads",
          "browser CPU-s",
          "browser CPU-s by process", "rendered", "launch CPU-s", "CPU-s/render", "peak MB",
          "load before/after"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--modes", default="inline,remote")
    parser.add_argument("--full", default=next(
        (path for path in SYSTEM_FULL_BROWSERS if Path(path).is_file()), None),
        help="full Chromium's executable (default: the system's)")
    args = parser.parse_args(argv)
    shell = find_browser()
    browsers = {}
    if shell and is_headless_shell(shell):
        browsers["auto shell"] = shell
    else:
        print("no headless shell installed (apt-get install chromium-headless-shell)",
              file=sys.stderr)
    if args.full:
        browsers["auto full"] = args.full
    if not browsers:
        print("no browser to measure", file=sys.stderr)
        return 1
    started = time.monotonic()
    rows = [HEADER]
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        for mode in args.modes.split(","):
            for row in bench_mode(mode, args.articles, args.repeat, browsers, Path(tmp)):
                rows.append(row)
                print(" | ".join(row), file=sys.stderr, flush=True)
    print_table(f"{args.articles}-article replica, {args.repeat} rounds per mode, medians; "
                + ", ".join(f"{name}: {path}" for name, path in browsers.items()), rows)
    print(f"bench took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
