"""CPU of what every crawl imports before its first request, this tree vs another checkout.

Each round runs ``scrapy list`` once per tree, the order alternating: it loads what every
crawl loads before its first request, Scrapy, the project's settings and every spider module
with the page classes. Per run: the child's CPU time (user + system, interpreter start
included) and which of the fallback extractor's libraries (trafilatura, courlan, justext) it
loaded. Printed: medians of the rounds, the difference and
the ratio, with the 1-minute load average.

Run: ``.venv/bin/python bench/bench_crawl_startup.py [--compare-tree DIR] [--rounds 10]``
(e.g. ``git worktree add --detach /tmp/base main``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Printed by the child after the command ran: which fallback libraries it had loaded.
REPORT = ("import atexit, json, sys; atexit.register(lambda: print(json.dumps(sorted("
          "m for m in ('trafilatura', 'courlan', 'justext') if m in sys.modules))))")


def probe(tree: Path) -> tuple[float, list[str]]:
    """CPU seconds of ``scrapy list`` in ``tree`` (the settings and every spider module
    loaded, as a crawl loads them) and the fallback libraries it loaded."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-c", f"{REPORT}\nfrom scrapy.cmdline import execute"
                             "\nexecute(['scrapy', 'list'])"], cwd=tree, env=env,
                            capture_output=True, text=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-1500:])
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare-tree", type=Path, metavar="DIR",
                        help="without it (make bench), this tree alone")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    trees = {"this tree": REPO}
    if args.compare_tree is not None:
        trees["compared"] = args.compare_tree.resolve()
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    fallback: dict[str, list[str]] = {}
    loads: list[float] = []
    for n in range(args.rounds):
        order = list(trees) if n % 2 == 0 else list(reversed(trees))
        for name in order:
            seconds, fallback[name] = probe(trees[name])
            cpu[name].append(seconds)
        loads.append(os.getloadavg()[0])
    for name in trees:
        print(f"{name:<10} {statistics.median(cpu[name]):6.3f} CPU-s (rounds "
              f"{min(cpu[name]):.3f}-{max(cpu[name]):.3f}); fallback libraries loaded: "
              f"{fallback[name]}")
    if "compared" in trees:
        ours, theirs = (statistics.median(cpu[name]) for name in ("this tree", "compared"))
        print(f"difference {ours - theirs:+.3f} CPU-s ({ours / theirs:.2f}x)")
    print(f"{args.rounds} rounds, load {min(loads):.1f}-{max(loads):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
