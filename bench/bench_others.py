"""Benchmark of "Others Also Read" without the browser: learned rule versus rendering.

For each way the replica delivers the list (``--others-source api|remote|inline``):

1. a 2,000-article synthetic replica (one replica process for both), crawled ``--repeat``
   times with ``render=never`` and ``render=auto`` alternately (never first, then auto first,
   …: a machine whose load drifts favours neither): the median stories per second of each
   (whole crawl, from spider open to close, browser launch and learning included), the median
   of the pairs' ratios (target: auto >= 0.67 x never) with their range, the share of stories
   the browser rendered (target <= 5 %), how the lists were obtained (direct request, inline,
   rendered), peak memory of the crawl (crawler RSS + browser and Playwright driver PSS), and
   whether every list equals the replica's truth; then the next cron run's case, once: a
   ``render=auto`` crawl from a state holding only the rule the first learned (no story known,
   so the same 2,000 stories: no learning renders, only checks) beside one more ``never``;
2. a smaller replica (``--small``, default 200 articles) crawled with ``render=auto`` and
   ``render=always``: stories found and every record's ``related.others_also_read`` compared
   one by one. ``render=always`` renders every page (~0.5 CPU-s each here), too slow on 2,000
   articles for a benchmark that also runs the other modes, hence the smaller replica.

Each crawl's CPU seconds are read too (``cpu_launch``): the crawler process's own, per story
(the crawler is one Python thread, the bottleneck; on a shared machine CPU blurs less than wall
time), and its browser's. ``--compare-tree DIR`` runs every crawl of a mode with another
checkout's code as well (e.g. the main branch), one after the other, and prints its rows beside
this tree's ("tree" column).

A missed target is printed (MISSED), not turned into an exit status: on a shared machine the
ratio moves from run to run. Only a crash exits non-zero. The 1-minute load average is
printed before and after each mode.

Run: ``.venv/bin/python bench/bench_others.py [--articles 2000] [--small 200|0]
[--repeat 3] [--modes api,remote,inline] [--compare-tree DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench_spider
from bench_spider import BIN, LOOPBACK_ONLY, REPO, ProcessMemorySampler, crawl
from replica_process import replica
from table import print_table

from newscrawl.replica import synthetic_site
from newscrawl.state.sqlite_store import SqliteStateStore
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
    state: Path
    cpu: dict[str, float]  # CPU seconds: "crawler" (its own), "children" (browser, driver)

    @property
    def stories_per_second(self) -> float:
        return len(self.records) / self.seconds if self.seconds else 0.0

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))

    @property
    def cpu_ms_per_story(self) -> float:
        return 1000 * self.cpu["crawler"] / len(self.records) if self.records else 0.0


def run(origin: str, render: str, workdir: Path, label: str,
        rule_from: Path | None = None, tree: Path = REPO) -> Crawl:
    """One crawl in a new state; ``rule_from``: a state whose list rule the new one starts
    with (and nothing else: every story is new to it), as a cron run after the first.
    ``tree``: the checkout whose code and settings run."""
    run_dir = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=workdir))
    if rule_from is not None:
        copy_rule(rule_from, run_dir / "state.sqlite")
    output = run_dir / "stories.jsonl"
    cpu_path = run_dir / "cpu.json"
    command = [str(BIN / "python"), str(Path(__file__).with_name("cpu_launch.py")),
               "crawl", "aseanplus", "-a", f"base_url={origin}",
               "-a", f"render={render}", "-O", str(output),
               "-s", f"NEWSCRAWL_DATA_DIR={run_dir / 'data'}", "-s", "LOG_LEVEL=WARNING",
               "-s", f"NEWSCRAWL_STATE={run_dir / 'state.sqlite'}", "-s", f"NEWSCRAWL_NOW={NOW}",
               "-s", f"NEWSCRAWL_BROWSER_ARGS={LOOPBACK_ONLY}"]
    sampler = ProcessMemorySampler()
    # Ahead of the editable install of this checkout, which Python finds last.
    env = {**os.environ, "NEWSCRAWL_BENCH_CPU": str(cpu_path)}
    if tree != REPO:
        env["PYTHONPATH"] = str(tree)
    result = crawl(label, command, run_dir, tree, sampler, env)
    records = {}
    for line in output.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[record["url"]] = record["related"]["others_also_read"]
    memory = result.memory_mb + sampler.peak_mb["browser"] + sampler.peak_mb["driver"]
    return Crawl(records, result.seconds, result.stats, memory, run_dir / "state.sqlite",
                 json.loads(cpu_path.read_text()))


def copy_rule(state: Path, into: Path) -> None:
    source = SqliteStateStore(state)
    stored = source.list_rules().rule()
    source.close()
    if stored is None:
        raise RuntimeError(f"no list rule stored in {state}")
    target = SqliteStateStore(into)
    target.list_rules().save_rule(stored)
    target.close()


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


@dataclass
class TreeRuns:
    """One checkout's crawls of one mode."""

    nevers: list[Crawl] = field(default_factory=list)
    autos: list[Crawl] = field(default_factory=list)
    stored: Crawl | None = None
    stored_never: Crawl | None = None


def bench_mode(mode: str, articles: int, small: int, repeat: int, workdir: Path,
               trees: dict[str, Path]) -> list[list[str]]:
    load_before = os.getloadavg()[0]
    runs = {name: TreeRuns() for name in trees}
    with replica(articles, others_source=mode) as origin:
        for turn in range(repeat):
            order = ("never", "auto") if turn % 2 == 0 else ("auto", "never")
            for render in order:
                for name, tree in trees.items():  # each crawl of one tree, then the other's
                    result = run(origin, render, workdir, f"{mode}-{name}-{render}-{turn}",
                                 tree=tree)
                    tree_runs = runs[name]
                    (tree_runs.nevers if render == "never" else tree_runs.autos).append(result)
        # The next cron run: the rule learned by the first, no story known yet; beside one
        # more render=never crawl, in turn.
        for name, tree in trees.items():
            runs[name].stored = run(origin, "auto", workdir, f"{mode}-{name}-stored",
                                    rule_from=runs[name].autos[0].state, tree=tree)
        for name, tree in trees.items():
            runs[name].stored_never = run(origin, "never", workdir,
                                          f"{mode}-{name}-stored-never", tree=tree)
    truth = truth_lists(articles)
    load = f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"
    rows = []
    for name, tree in trees.items():
        if small:
            with replica(small, others_source=mode) as origin:
                small_auto = run(origin, "auto", workdir, f"{mode}-{name}-small-auto", tree=tree)
                small_always = run(origin, "always", workdir, f"{mode}-{name}-small-always",
                                   tree=tree)
            versus_always = f"{len(small_auto.records)}: {compare(small_auto, small_always)}"
        else:
            versus_always = "not run"
        rows.append(row(mode, name, runs[name], truth, versus_always, load))
    return rows


def row(mode: str, tree: str, runs: TreeRuns, truth: dict[str, list[str]],
        versus_always: str, load: str) -> list[str]:
    nevers, autos, stored, stored_never = runs.nevers, runs.autos, runs.stored, runs.stored_never
    assert stored is not None and stored_never is not None
    ratios = sorted(a.stories_per_second / n.stories_per_second
                    for a, n in zip(autos, nevers, strict=True))
    ratio = statistics.median(ratios)
    auto = autos[0]
    wrong = max(differences(a.records, truth) for a in autos)
    rendered = max(a.stat("newscrawl/others/rendered") for a in autos)
    share = rendered / len(auto.records) if auto.records else 1.0
    never_ms = statistics.median(n.cpu_ms_per_story for n in [*nevers, stored_never])
    auto_ms = statistics.median(a.cpu_ms_per_story for a in autos)
    return [
        mode, tree,
        f"{statistics.median(n.stories_per_second for n in nevers):.1f}",
        f"{statistics.median(a.stories_per_second for a in autos):.1f}",
        f"{ratio:.2f} {'ok' if ratio >= TARGET_RATIO else 'MISSED'} "
        f"({ratios[0]:.2f}-{ratios[-1]:.2f})",
        f"{rendered}/{len(auto.records)} = {share:.1%} "
        f"{'ok' if share <= TARGET_BROWSER_SHARE else 'MISSED'}",
        f"{auto.stat('newscrawl/others/direct')}/{auto.stat('newscrawl/others/inline')}",
        "all equal" if wrong == 0 else f"{wrong} WRONG",
        versus_always,
        f"{max(n.memory_mb for n in nevers):.0f} / {max(a.memory_mb for a in autos):.0f}",
        f"{stored.stories_per_second / stored_never.stories_per_second:.2f} "
        f"({stored.stat('newscrawl/others/rendered')} rendered, "
        f"{stored.stat('newscrawl/others/render/learn')} to learn)",
        f"{never_ms:.1f} / {auto_ms:.1f} / {stored.cpu_ms_per_story:.1f}",
        f"{max(a.cpu['children'] for a in autos):.0f} / {stored.cpu['children']:.0f}",
        load,
    ]


HEADER = ["mode", "tree", "never st/s", "auto st/s", "auto/never (range)",
          "browser (rendered, max)", "direct/inline", "lists vs truth",
          "auto vs always (small)", "peak MB never/auto",
          "stored rule: auto/never", "crawler CPU ms/story never/auto/stored",
          "browser CPU s auto/stored", "load before/after"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200,
                        help="articles of the auto vs always replica; 0: skip that part")
    parser.add_argument("--repeat", type=int, default=3,
                        help="never/auto pairs per mode, alternating which goes first")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--compare-tree", type=Path, metavar="DIR",
                        help="another checkout whose code runs every crawl too")
    args = parser.parse_args(argv)
    trees = {"this": REPO}
    if args.compare_tree is not None:
        trees[args.compare_tree.name] = args.compare_tree.resolve()
    started = time.monotonic()
    rows = [HEADER]
    with tempfile.TemporaryDirectory(prefix="bench-others-") as tmp:
        for mode in args.modes.split(","):
            for mode_row in bench_mode(mode, args.articles, args.small, args.repeat, Path(tmp),
                                       trees):
                rows.append(mode_row)
                print(" | ".join(mode_row), file=sys.stderr, flush=True)
    print_table(f"{args.articles}-article replica, {args.repeat} never/auto pairs per mode, "
                f"medians (auto vs always: {args.small or 'not run'} articles)", rows)
    print(f"bench took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
