"""CPU of what every crawl imports before its first request, this tree vs another checkout.

Each round starts one child process per tree, the order alternating, which imports what
``scrapy crawl aseanplus`` loads: Scrapy's crawler, the project's settings, every pipeline,
extension and middleware they name, and the spider modules. A child reports its CPU time
(user + system, interpreter start included) and which of the fallback extractor's libraries
(trafilatura, courlan, justext) it loaded. Printed: medians of the rounds, the difference and
the ratio, with the 1-minute load average.

Run: ``.venv/bin/python bench/bench_crawl_startup.py --compare-tree DIR [--rounds 10]``
(e.g. ``git worktree add --detach /tmp/base main``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROBE = """
import json, os, sys
import scrapy.crawler
from scrapy.utils.misc import load_object, walk_modules
from newscrawl import settings
for table in (settings.ITEM_PIPELINES, settings.EXTENSIONS, settings.DOWNLOADER_MIDDLEWARES):
    for path in table:
        load_object(path)
for module in settings.SPIDER_MODULES:
    walk_modules(module)
times = os.times()
print(json.dumps({"cpu": times.user + times.system,
                  "fallback": sorted(m for m in ("trafilatura", "courlan", "justext")
                                     if m in sys.modules)}))
"""


def probe(tree: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=tree, env=env,
                            capture_output=True, text=True, check=True, timeout=120)
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare-tree", type=Path, required=True, metavar="DIR")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    trees = {"this tree": REPO, "compared": args.compare_tree.resolve()}
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    fallback: dict[str, object] = {}
    loads: list[float] = []
    for n in range(args.rounds):
        order = list(trees) if n % 2 == 0 else list(reversed(trees))
        for name in order:
            result = probe(trees[name])
            cpu[name].append(float(result["cpu"]))  # type: ignore[arg-type]
            fallback[name] = result["fallback"]
        loads.append(os.getloadavg()[0])
    ours, theirs = (statistics.median(cpu[name]) for name in trees)
    for name in trees:
        print(f"{name:<10} {statistics.median(cpu[name]):6.3f} CPU-s (rounds "
              f"{min(cpu[name]):.3f}-{max(cpu[name]):.3f}); fallback libraries loaded: "
              f"{fallback[name]}")
    print(f"difference {ours - theirs:+.3f} CPU-s ({ours / theirs:.2f}x), {args.rounds} rounds, "
          f"load {min(loads):.1f}-{max(loads):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
