"""Benchmark of "Others Also Read" without the browser: learned rule versus rendering.

For each way the replica delivers the list (``--others-source api|remote|inline``):

1. a 2,000-article synthetic replica, crawled with ``render=never`` and ``render=auto`` one
   after the other (same replica, same machine load): stories per second of each and their
   ratio (target: auto >= 0.67 x never), the share of stories the browser rendered (target
   <= 5 %), how the lists were obtained (direct request, inline, rendered), peak memory of the
   crawl (crawler RSS + browser and Playwright driver PSS), and whether every list equals the
   replica's truth;
2. a smaller replica (``--small``, default 200 articles) crawled with ``render=auto`` and
   ``render=always``: stories found and every record's ``related.others_also_read`` compared
   one by one. ``render=always`` renders every page (~0.5 CPU-s each here), too slow on 2,000
   articles for a benchmark that also runs the other modes, hence the smaller replica.

A missed target is printed (MISSED), not turned into an exit status: on a shared machine the
ratio moves from run to run. Only a crash exits non-zero.

Run: ``.venv/bin/python bench/bench_others.py [--articles 2000] [--small 200]
[--modes api,remote,inline]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_spider
from bench_spider import BIN, LOOPBACK_ONLY, REPO, ProcessMemorySampler, crawl
from replica_process import replica

from newscrawl.replica import synthetic_site
from newscrawl.urls import canonical_url, is_site_article

MODES = ("api", "remote", "inline")
TARGET_RATIO = 0.67
TARGET_BROWSER_SHARE = 0.05
NOW = "2025-07-10T00:00:00+08:00"
# render=always on the small replica, and any crawl on a busy shared machine, take longer than
# bench_spider's default allows.
bench_spider.CRAWL_TIMEOUT = 1200


@dataclass(frozen=True)
class Crawl:
    records: dict[str, list[str]]  # url -> related.others_also_read
    seconds: float
    stats: dict[str, Any]
    memory_mb: float  # crawler RSS + browser PSS + driver PSS

    @property
    def stories_per_second(self) -> float:
        return len(self.records) / self.seconds if self.seconds else 0.0

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))


def run(origin: str, render: str, workdir: Path, label: str) -> Crawl:
    run_dir = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=workdir))
    output = run_dir / "stories.jsonl"
    command = [str(BIN / "scrapy"), "crawl", "aseanplus", "-a", f"base_url={origin}",
               "-a", f"render={render}", "-O", str(output),
               "-s", f"NEWSCRAWL_DATA_DIR={run_dir / 'data'}", "-s", "LOG_LEVEL=WARNING",
               "-s", f"NEWSCRAWL_STATE={run_dir / 'state.sqlite'}", "-s", f"NEWSCRAWL_NOW={NOW}",
               "-s", f"NEWSCRAWL_BROWSER_ARGS={LOOPBACK_ONLY}"]
    sampler = ProcessMemorySampler()
    result = crawl(label, command, run_dir, REPO, sampler)
    records = {}
    for line in output.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[record["url"]] = record["related"]["others_also_read"]
    memory = result.memory_mb + sampler.peak_mb["browser"] + sampler.peak_mb["driver"]
    return Crawl(records, result.seconds, result.stats, memory)


def truth_lists(articles: int) -> dict[str, list[str]]:
    """What each story's list must be: the replica's data, as the crawl records links."""
    site = synthetic_site(articles)
    lists = {}
    for article in site.articles:
        links = (canonical_url(href, article.url) for href in article.others_also_read)
        lists[article.url] = list(dict.fromkeys(u for u in links if is_site_article(u)))
    return lists


def differences(found: dict[str, list[str]], expected: dict[str, list[str]]) -> int:
    return sum(1 for url, links in found.items() if expected.get(url) != links)


def compare(auto: Crawl, always: Crawl) -> str:
    if set(auto.records) != set(always.records):
        return (f"DIFFERENT stories ({len(set(auto.records) ^ set(always.records))} "
                "found by only one)")
    wrong = differences(auto.records, always.records)
    return "identical" if wrong == 0 else f"DIFFERENT lists on {wrong} stories"


def bench_mode(mode: str, articles: int, small: int, workdir: Path) -> list[str]:
    with replica(articles, others_source=mode) as origin:
        never = run(origin, "never", workdir, f"{mode}-never")
        auto = run(origin, "auto", workdir, f"{mode}-auto")
    wrong = differences(auto.records, truth_lists(articles))
    with replica(small, others_source=mode) as origin:
        small_auto = run(origin, "auto", workdir, f"{mode}-small-auto")
        small_always = run(origin, "always", workdir, f"{mode}-small-always")
    ratio = auto.stories_per_second / never.stories_per_second
    rendered = auto.stat("newscrawl/others/rendered")
    share = rendered / len(auto.records) if auto.records else 1.0
    return [
        mode,
        f"{never.stories_per_second:.0f}",
        f"{auto.stories_per_second:.0f}",
        f"{ratio:.2f} {'ok' if ratio >= TARGET_RATIO else 'MISSED'}",
        f"{rendered}/{len(auto.records)} = {share:.1%} "
        f"{'ok' if share <= TARGET_BROWSER_SHARE else 'MISSED'}",
        f"{auto.stat('newscrawl/others/direct')}/{auto.stat('newscrawl/others/inline')}",
        "all equal" if wrong == 0 else f"{wrong} WRONG",
        f"{len(small_auto.records)}: {compare(small_auto, small_always)}",
        f"{never.memory_mb:.0f} / {auto.memory_mb:.0f}",
    ]


HEADER = ["mode", "never st/s", "auto st/s", "auto/never", "browser (rendered)",
          "direct/inline", "lists vs truth", "auto vs always (small)", "peak MB never/auto"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args(argv)
    started = time.monotonic()
    rows = [HEADER]
    with tempfile.TemporaryDirectory(prefix="bench-others-") as tmp:
        for mode in args.modes.split(","):
            rows.append(bench_mode(mode, args.articles, args.small, Path(tmp)))
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    print(f"\n{args.articles}-article replica (auto vs always: {args.small} articles)")
    for row in rows:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                         strict=True)) + " |")
    print(f"bench took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
