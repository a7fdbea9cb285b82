"""Per-story CPU of the item-side stages, this tree against another checkout, in one process.

    .venv/bin/python bench/bench_item_stages.py [--compare-tree DIR] [--rounds 10] [--items 2000]

Cuts of ~10-50 µs a story are below what a whole crawl (~10 ms a page) or a child process per
tree (``bench_pipelines.py --compare-tree``) resolves on a loaded machine. Here both versions
run in the same process on the same records, alternating stage by stage and round by round, so
the load falls on both alike. The compared tree's copy of each module in ``MODULES`` is loaded
from its file under another name; what that module imports from ``newscrawl`` is this tree's
(so a stage's figure holds only its own module's change: the validator's furniture scan, for
one, is this tree's in both and measured on its own as ``find_boilerplate``). Every stage is
first checked to give the same answers in both versions. Records: the replica's stories as
the crawl reads them (``bench_pipelines.replica_stories``), cleaned for the later stages.
Printed: median CPU µs a story per stage and version, the difference, the 1-minute load.
Without ``--compare-tree`` the tree is compared with itself: the differences are then the
noise floor of the measure.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from types import ModuleType
from typing import Any

from bench_pipelines import replica_stories

from newscrawl.items import RECORD_FIELDS, StoryItem

# The modules whose per-story functions are compared (paths under ``newscrawl/``).
MODULES = ("pipelines/clean.py", "pipelines/validate.py", "monitors/tally.py", "boilerplate.py")
ROOT = Path(__file__).resolve().parents[1]


class _Stats:
    """The stats collector's ``inc_value`` as ``DirectStatsCollector`` runs it."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.setdefault(key, start) + count


def load(tree: Path, relative: str, alias: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(alias, tree / "newscrawl" / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


def stages(tree: Path, tag: str) -> dict[str, tuple[Callable[[Any], Any], bool]]:
    """Stage name -> (function of one story, whether it takes a fresh ``StoryItem``)."""
    clean, validate, tally, boilerplate = (
        load(tree, m, f"compared_{tag}_{i}") for i, m in enumerate(MODULES))
    return {
        "clean (pipeline)": (clean.CleanPipeline().process_item, True),
        "validate (problems)": (validate.StoryValidator().problems, False),
        "find_boilerplate": (lambda record: boilerplate.find_boilerplate(record["body"]), False),
        "tally (count_read)": (tally.StoryTallyExtension(_Stats()).count_read, False),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare-tree", type=Path, default=ROOT, metavar="DIR")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args(argv)
    stories = replica_stories(args.items)
    versions = {"this tree": stages(ROOT, "this"), "compared": stages(args.compare_tree, "other")}
    cleaned = copy.deepcopy(stories)
    clean = versions["this tree"]["clean (pipeline)"][0]
    for story in cleaned:
        clean(story)
    values = attrgetter(*RECORD_FIELDS)
    records = [dict(zip(RECORD_FIELDS, values(s), strict=True)) for s in cleaned]

    def inputs(fresh: bool) -> list[Any]:
        return copy.deepcopy(stories) if fresh else records

    for name, (mine, fresh) in versions["this tree"].items():
        theirs = versions["compared"][name][0]
        a, b = inputs(fresh)[:300], inputs(fresh)[:300]
        if [mine(x) for x in a] != [theirs(x) for x in b] or (fresh and a != b):
            raise SystemExit(f"{name}: the two trees give different answers")
    cpu: dict[str, dict[str, list[float]]] = {v: {} for v in versions}
    loads = [os.getloadavg()[0]]
    for n in range(args.rounds):
        for name in versions["this tree"]:
            order = list(versions) if n % 2 == 0 else list(reversed(versions))
            for version in order:
                function, fresh = versions[version][name]
                batch: list[StoryItem] | list[dict[str, Any]] = inputs(fresh)
                start = time.process_time()
                for one in batch:
                    function(one)
                seconds = time.process_time() - start
                cpu[version].setdefault(name, []).append(seconds / len(batch) * 1e6)
        loads.append(os.getloadavg()[0])
    print(f"{len(records)} replica stories, {args.rounds} rounds alternated, medians, CPU µs a "
          f"story; 1-min load {min(loads):.1f}-{max(loads):.1f}")
    print(f"{'stage':<22}{'this tree':>10}{'compared':>10}{'less':>8}{'ratio':>7}")
    total_mine = total_theirs = 0.0
    for name in versions["this tree"]:
        mine_median = statistics.median(cpu["this tree"][name])
        theirs_median = statistics.median(cpu["compared"][name])
        total_mine += mine_median
        total_theirs += theirs_median
        print(f"{name:<22}{mine_median:>10.1f}{theirs_median:>10.1f}"
              f"{theirs_median - mine_median:>8.1f}{mine_median / theirs_median:>7.2f}")
    print(f"{'all four':<22}{total_mine:>10.1f}{total_theirs:>10.1f}"
          f"{total_theirs - total_mine:>8.1f}{total_mine / total_theirs:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
