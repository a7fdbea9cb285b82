"""The whole item side of a story, stage by stage, this tree against another checkout.

    .venv/bin/python bench/bench_item_side.py [--compare-tree DIR] [--rounds 6] [--items 2000]

What a story costs after it is read, as a first run of the crawl pays it: the five item
pipelines (clean, validate, quarantine, dedupe, version, the state staging inside version
measured on its own too), the ``item_scraped`` handlers that look at every story (the story
tally, the feed's JSON line) and the state commit that follows the feed. Unlike
``bench_item_stages.py``, which loads single modules of the compared tree into one process,
each tree runs whole, in a child process of its own (``PYTHONPATH``, this tree's interpreter
and packages), so a change that spans modules (a helper shared by the digests and the feed
line, say) is measured as the crawl runs it. The parent alternates the two children stage by
stage (the order flips every stage and round), so the load falls on both alike, and reads each
child's CPU clock around each stage. Every round starts from a fresh state file.

Records: the replica's stories as the crawl reads them (``bench_pipelines.replica_stories``),
one in 40 broken in one of eight ways (a date in the future, furniture in the body, a tuple of
tags, a title past its bound, ...) so that quarantine decisions are compared too. After the
first round each child reports a digest of what it produced: the feed's bytes, the quarantined
records and reasons, the stories table (every column but the two clocks) and the counters; the
bench stops if the trees differ. Printed: median CPU µs per story read, per stage and tree.
Without ``--compare-tree`` the tree is compared with itself (the noise floor).
"""

from __future__ import annotations

import argparse
import copy
import gc
import hashlib
import io
import json
import logging
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("clean", "validate", "quarantine", "dedupe", "version", "tally", "feed line", "commit")
# Within "version": the store's ``stage`` calls alone.
STAGING = "state staging (in version)"
RUN_ID = "bench-item-side"


def broken(stories: list[Any]) -> list[Any]:
    """One story in 40 given a fault the validator must quarantine (or count, for furniture)."""
    faults: list[Callable[[Any], None]] = [
        lambda s: setattr(s, "published_at", "2031-01-01T00:00:00+08:00"),
        lambda s: setattr(s, "body", s.body + "\n\nFollow us on our official WhatsApp channel"),
        lambda s: setattr(s, "tags", tuple(s.tags)),
        lambda s: setattr(s, "title", "T" * 400),
        lambda s: setattr(s, "url", "https://www.thestar.com.my/news/nation/2026/02/12/x"),
        lambda s: setattr(s, "body", " \n "),
        lambda s: setattr(s, "authors", [*s.authors, 7]),
        lambda s: setattr(s, "section", "Sports"),
    ]
    for n, story in enumerate(stories[::40]):
        faults[n % len(faults)](story)
    return stories


class _Timed:
    """A callable's CPU time, summed (the state store's ``stage``)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.seconds = 0.0

    def __call__(self, *args: Any) -> Any:
        start = time.process_time()
        try:
            return self.function(*args)
        finally:
            self.seconds += time.process_time() - start


class _Child:
    """One tree's item side, driven by the parent's commands on stdin."""

    def __init__(self, stories: list[Any]) -> None:
        self.stories = stories
        self.stack = ExitStack()

    def round(self) -> None:
        from scrapy.utils.test import get_crawler

        from newscrawl.feeds.exporter import RecordJsonLinesExporter
        from newscrawl.items import RECORD_FIELDS
        from newscrawl.monitors.tally import StoryTallyExtension
        from newscrawl.pipelines.clean import CleanPipeline
        from newscrawl.pipelines.dedupe import DedupePipeline
        from newscrawl.pipelines.quarantine import QuarantinePipeline
        from newscrawl.pipelines.validate import ValidatePipeline
        from newscrawl.pipelines.version import VersionPipeline
        from newscrawl.settings import STATS_CLASS
        from newscrawl.state.crawl import crawl_state_for

        self.stack.close()
        self.stack = ExitStack()
        directory = Path(self.stack.enter_context(tempfile.TemporaryDirectory()))
        crawler = get_crawler(settings_dict={
            "NEWSCRAWL_DATA_DIR": str(directory / "data"),
            "NEWSCRAWL_STATE": str(directory / "state.sqlite"),
            "NEWSCRAWL_RUN_ID": RUN_ID,
            "NEWSCRAWL_NOW": "2026-11-27T00:00:00+00:00",
            "STATS_CLASS": STATS_CLASS,
            "EXTENSIONS": {"newscrawl.state.commit.StateCommitExtension": 100},
        })
        state = crawl_state_for(crawler)
        self.stack.callback(state.close)
        self.store = state.store
        self.store.begin_run(RUN_ID, state.started_at.isoformat())
        self.staging = _Timed(self.store.stage)
        self.store.stage = self.staging  # type: ignore[method-assign]
        self.stats = crawler.stats
        dedupe = DedupePipeline.from_crawler(crawler)
        dedupe.open_spider()
        self.pipelines = {
            "clean": CleanPipeline.from_crawler(crawler).process_item,
            "validate": ValidatePipeline.from_crawler(crawler).process_item,
            "quarantine": QuarantinePipeline.from_crawler(crawler).process_item,
            "dedupe": dedupe.process_item,
            "version": VersionPipeline.from_crawler(crawler).process_item,
        }
        self.tally = StoryTallyExtension(crawler.stats)
        self.feed = io.BytesIO()
        self.exporter = RecordJsonLinesExporter(self.feed, encoding="utf-8",
                                                fields_to_export=list(RECORD_FIELDS))
        self.items: list[Any] = copy.deepcopy(self.stories)
        self.dropped: list[Any] = []
        gc.collect()

    def stage(self, name: str) -> float:
        """CPU seconds of ``name`` over this round's items."""
        from scrapy.exceptions import DropItem

        from newscrawl.items import StoryItem

        start = time.process_time()
        if name in self.pipelines:
            process, kept = self.pipelines[name], []
            for item in self.items:
                try:
                    kept.append(process(item))
                except DropItem:
                    self.dropped.append(item)
            self.items = kept
        elif name == "tally":
            for item in self.items:
                self.tally.item_scraped(item)
            for item in self.dropped:
                self.tally.item_dropped(item)
        elif name == "feed line":
            export = self.exporter.export_item
            for item in self.items:
                if type(item) is StoryItem:
                    export(item)
        elif name == "commit":
            self.store.commit(RUN_ID, [i.id for i in self.items if type(i) is StoryItem])
        else:
            raise ValueError(name)
        return time.process_time() - start

    def digest(self) -> dict[str, Any]:
        """What the round produced, in a form both trees write alike."""
        from newscrawl.items import QuarantineItem

        quarantined = [(q.url, q.reasons, q.stage, q.record) for q in self.items
                       if isinstance(q, QuarantineItem)]
        rows = self.store._db.execute(  # type: ignore[attr-defined]
            "SELECT id, url, content_hash, signature, signature_kind, field_digests, "
            "duplicate_of, published_at, modified_at, version FROM stories ORDER BY id"
        ).fetchall()
        stats = {k: v for k, v in self.stats.get_stats().items()
                 if isinstance(v, int) and k.startswith("newscrawl/")}
        parts = {
            "feed": self.feed.getvalue(),
            "quarantined": json.dumps(quarantined, default=list, sort_keys=True).encode(),
            "stories": repr(rows).encode(),
            "stats": json.dumps(stats, sort_keys=True).encode(),
        }
        return {
            "digests": {k: hashlib.sha256(v).hexdigest() for k, v in parts.items()},
            "counts": {"feed lines": parts["feed"].count(b"\n"), "quarantined": len(quarantined),
                       "stories stored": len(rows)},
        }


def child(stories_file: Path) -> int:
    import newscrawl

    logging.disable(logging.WARNING)  # the broken stories' quarantine lines, in both trees

    print(json.dumps({"tree": str(Path(newscrawl.__file__).parents[1])}), flush=True)
    work = _Child(pickle.loads(stories_file.read_bytes()))
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "round":
            work.round()
            reply: Any = {"stories": len(work.stories)}
        elif command == "stage":
            seconds = work.stage(argument)
            reply = {"seconds": seconds}
            if argument == "version":
                reply["staging"] = work.staging.seconds
        elif command == "digest":
            reply = work.digest()
        else:
            raise SystemExit(f"unknown command {command!r}")
        print(json.dumps(reply), flush=True)
    return 0


@contextmanager
def children(trees: dict[str, Path], stories_file: Path) -> Iterator[dict[str, Any]]:
    processes = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--child", str(stories_file)], cwd=tree, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(tree)})
        for name, tree in trees.items()}
    try:
        for name, process in processes.items():
            loaded = Path(_ask(process, None)["tree"]).resolve()
            if loaded != trees[name].resolve():
                raise SystemExit(f"{name}: the child imported newscrawl from {loaded}")
        yield processes
    finally:
        for process in processes.values():
            assert process.stdin is not None
            process.stdin.close()
        for process in processes.values():
            process.wait(timeout=60)


def _ask(process: Any, command: str | None) -> Any:
    if command is not None:
        process.stdin.write(command + "\n")
        process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise SystemExit(f"a child stopped (exit {process.wait()})")
    return json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare-tree", type=Path, default=ROOT, metavar="DIR")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    from bench_pipelines import replica_stories

    stories = broken(replica_stories(args.items))
    names = ("this tree", "compared")
    trees = dict(zip(names, (ROOT, args.compare_tree), strict=True))
    cpu: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    loads = [os.getloadavg()[0]]
    with tempfile.NamedTemporaryFile(suffix=".pickle") as file:
        file.write(pickle.dumps(stories))
        file.flush()
        with children(trees, Path(file.name)) as processes:
            for n in range(args.rounds):
                for process in processes.values():
                    _ask(process, "round")
                for s, stage in enumerate(STAGES):
                    order = names if (n + s) % 2 == 0 else names[::-1]
                    for name in order:
                        reply = _ask(processes[name], f"stage {stage}")
                        per_story = 1e6 / len(stories)
                        cpu[name].setdefault(stage, []).append(reply["seconds"] * per_story)
                        if "staging" in reply:
                            cpu[name].setdefault(STAGING, []).append(
                                reply["staging"] * per_story)
                if n == 0:
                    made = {name: _ask(processes[name], "digest") for name in names}
                    if made["this tree"] != made["compared"]:
                        print(json.dumps(made, indent=1))
                        raise SystemExit("the two trees produced different output")
                    print(f"same output from both trees: {made['this tree']['counts']}")
                loads.append(os.getloadavg()[0])
    print(f"{len(stories)} replica stories (1 in 40 broken), {args.rounds} rounds, stages "
          f"alternated, CPU µs per story read, medians (and the least of the rounds: a shared "
          f"machine only adds to a stage's time); 1-min load {min(loads):.1f}-{max(loads):.1f}")
    print(f"{'stage':<28}{'this tree':>10}{'compared':>10}{'less':>8}{'ratio':>7}"
          f"{'least':>9}{'least':>9}{'ratio':>7}")
    totals = {how: dict.fromkeys(names, 0.0) for how in ("median", "least")}
    for stage in (*STAGES[:5], STAGING, *STAGES[5:]):
        mine, theirs = (statistics.median(cpu[name][stage]) for name in names)
        least_mine, least_theirs = (min(cpu[name][stage]) for name in names)
        if stage != STAGING:
            for how, pair in (("median", (mine, theirs)), ("least", (least_mine, least_theirs))):
                for name, value in zip(names, pair, strict=True):
                    totals[how][name] += value
        print(f"{stage:<28}{mine:>10.1f}{theirs:>10.1f}{theirs - mine:>8.1f}"
              f"{mine / theirs:>7.2f}{least_mine:>9.1f}{least_theirs:>9.1f}"
              f"{least_mine / least_theirs:>7.2f}")
    mine, theirs = totals["median"].values()
    least_mine, least_theirs = totals["least"].values()
    print(f"{'item side':<28}{mine:>10.1f}{theirs:>10.1f}{theirs - mine:>8.1f}"
          f"{mine / theirs:>7.2f}{least_mine:>9.1f}{least_theirs:>9.1f}"
          f"{least_mine / least_theirs:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
