"""What reading story pages costs inside a production crawl, this tree against another checkout.

    .venv/bin/python bench/bench_crawl_reading.py [--compare-tree DIR] [--articles 2000]
        [--rounds 2]

``bench_page_reading.py`` reads saved pages in a tight loop; a crawl reads each page between
Scrapy's, the pipelines' and the state's work, with colder caches. Here each round runs the
production crawl (``render=never``, fresh state) of each tree on one replica, the order
alternating round by round, with the page-class calls ``parse_article`` makes (decoding,
``ArticlePage.for_page``, the section label, the base check, the continuation URL,
``to_data``) and the listing pages' ``to_data`` timed by the process CPU clock around each
outermost call; the collector's time is summed from ``gc.callbacks``. Printed per crawl: CPU
ms per story of each part and of them all, ms per listing page, collector seconds, and the
medians of the rounds per tree with the ratio (without ``--compare-tree``, this tree alone).
No profiler: its overhead would inflate the Python-heavy parts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from replica_process import replica

REPO = Path(__file__).resolve().parents[1]
STORY_PARTS = ("decode_html", "for_page", "has_foreign_base", "section_label",
               "continuation_url", "to_data")

# Run in the crawler's process before Scrapy starts: wraps the calls, reports at exit.
_CHILD = r'''
import atexit, collections, gc, json, sys
from time import process_time_ns as clock
REPORT = sys.argv[1]
spent, calls, depth = collections.Counter(), collections.Counter(), [0]

def timed(fn, label):
    def call(*args, **kwargs):
        if depth[0]:  # counted once, in the outermost timed call
            return fn(*args, **kwargs)
        depth[0] += 1
        start = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += clock() - start
            calls[label] += 1
            depth[0] -= 1
    return call

from newscrawl.pages import ArticlePage, ListingPage
import newscrawl.spiders.thestar as thestar
for_page = ArticlePage.for_page.__func__
ArticlePage.for_page = classmethod(timed(for_page, "for_page"))
for name in ("has_foreign_base", "section_label", "continuation_url", "to_data"):
    setattr(ArticlePage, name, timed(getattr(ArticlePage, name), name))
ListingPage.to_data = timed(ListingPage.to_data, "listing")
thestar.decode_html = timed(thestar.decode_html, "decode_html")
collected, began = [0], [0]
gc.callbacks.append(lambda phase, info: began.__setitem__(0, clock()) if phase == "start"
                    else collected.__setitem__(0, collected[0] + clock() - began[0]))

@atexit.register
def report():
    with open(REPORT, "w", encoding="utf-8") as out:
        json.dump({"spent_ns": spent, "calls": calls, "gc_ns": collected[0]}, out)

sys.argv = ["scrapy"] + sys.argv[2:]
from scrapy.cmdline import execute
try:
    execute()
except SystemExit:
    pass
'''


def crawl(tree: Path, origin: str, workdir: Path) -> dict[str, Any]:
    report = workdir / "reading.json"
    data = workdir / "data"
    subprocess.run(
        [str(tree / ".venv" / "bin" / "python"), "-c", _CHILD, str(report), "crawl",
         "aseanplus", "-a", f"base_url={origin}", "-a", "render=never",
         "-s", f"NEWSCRAWL_DATA_DIR={data}", "-s", f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}",
         "-s", "LOG_LEVEL=WARNING"],
        cwd=str(tree), check=True, env={**os.environ, "PYTHONPATH": str(tree)},
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def summary(result: dict[str, Any]) -> dict[str, float]:
    spent, calls = result["spent_ns"], result["calls"]
    stories = max(calls.get("to_data", 0), 1)
    parts = {name: spent.get(name, 0) / stories / 1e6 for name in STORY_PARTS}
    return {**parts, "story": sum(parts.values()),
            "listing": spent.get("listing", 0) / max(calls.get("listing", 0), 1) / 1e6,
            "gc_s": result["gc_ns"] / 1e9, "stories": float(stories)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare-tree", type=Path, metavar="DIR")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    trees = {"this tree": REPO}
    if args.compare_tree is not None:
        trees["compared"] = args.compare_tree.resolve()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    with replica(args.articles) as origin:
        for n in range(args.rounds):
            for name in list(trees) if n % 2 == 0 else list(trees)[::-1]:
                with tempfile.TemporaryDirectory() as tmp:
                    figures = summary(crawl(trees[name], origin, Path(tmp)))
                runs[name].append(figures)
                parts = ", ".join(f"{part} {figures[part]:.3f}" for part in STORY_PARTS)
                print(f"round {n + 1} {name:<10} {figures['story']:.3f} ms CPU a story "
                      f"({int(figures['stories'])} stories: {parts}); listing page "
                      f"{figures['listing']:.3f} ms; collector {figures['gc_s']:.2f} s; "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
    medians = {name: statistics.median(r["story"] for r in rs) for name, rs in runs.items()}
    ours = medians["this tree"]
    if "compared" not in medians:
        print(f"\nreading a story in the crawl (median): {ours:.3f} ms CPU")
        return 0
    theirs = medians["compared"]
    print(f"\nreading a story in the crawl (medians): this tree {ours:.3f}, compared "
          f"{theirs:.3f} ms CPU: {theirs - ours:+.3f} ms saved, ratio {ours / theirs:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
