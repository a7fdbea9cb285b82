"""Cost per item of each item pipeline and of the whole chain, beside a no-op pipeline.

    .venv/bin/python bench/bench_pipelines.py [--items 2000] [--rounds 5] [--replica]

Items are synthetic stories (8-12 paragraphs, 300-700 words, some entities and odd spaces), 3%
exact and 3% near copies; with ``--replica``, the records the crawl makes of the synthetic
replica's pages (rendered in-process, read by the site parser: ~180 words, and the repeated
sentences that make the near-duplicate index propose many candidates), which is what
``bench_spider.py`` crawls. Each stage runs on its own fresh copies
of the items, so a stage that mutates or remembers items is timed on first sight; stages that
need a state store get a fresh one under a temporary directory. For scale, the site parser's
time per saved replica page (``fixtures/pages``) is measured in the same rounds. Prints median
µs/item, wall and CPU (the process's clock: steadier on a shared machine), and the ratio to the
no-op pipeline.

``--compare-tree DIR`` measures another checkout's code (e.g. main) beside this tree's: each
round runs this script once per tree in a subprocess (``PYTHONPATH`` picks the code; the order
alternates), plus a process that only starts Python and imports the dedupe pipelines, and
prints both trees' CPU per item and start-up CPU side by side with the load average.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl.items import QuarantineItem, StoryItem
from newscrawl.pipelines.clean import CleanPipeline
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.quarantine import QuarantinePipeline
from newscrawl.pipelines.validate import ValidatePipeline
from newscrawl.pipelines.version import VersionPipeline
from newscrawl.state.crawl import crawl_state_for
from newscrawl.urls import SECTION_URL, story_id

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
Process = Callable[[Any], Any]
# (wall, CPU) seconds.
Timing = tuple[float, float]
STARTUP_IMPORTS = "import newscrawl.pipelines.dedupe, newscrawl.distributed.dedupe"


def replica_stories(count: int, seed: int = 1) -> list[StoryItem]:
    """The records of the replica's section stories, as the spider builds them (render=never)."""
    from newscrawl.pages import ArticlePage
    from newscrawl.records import build_story
    from newscrawl.replica.article_render import render_article
    from newscrawl.replica.synthetic import synthetic_site

    site = synthetic_site(count, seed)
    crawled_at = datetime(2026, 11, 27, tzinfo=UTC)
    stories: list[StoryItem] = []
    for article in site.in_section():
        if article.is_gallery:  # listed, but no story: the spider skips it
            continue
        html = render_article(article, site)
        data = ArticlePage.for_page(article.url, html).to_data()
        stories.append(build_story(data, url=article.url, discovered_via="listing",
                                   referrer=SECTION_URL, crawled_at=crawled_at, raw_html=html))
    return stories


def synthetic_stories(count: int, seed: int = 1) -> list[StoryItem]:
    rng = random.Random(seed)
    words = [
        f"{a}{b}"
        for a in ("ka", "lu", "mer", "sen", "ta", "bor", "ri", "nea")
        for b in ("n", "ng", "k", "ra", "s", "tan", "dor", "lim", "pa", "ow")
    ] * 3
    words += ["the", "of", "and", "to", "in", "said", "on", "per cent", "Asean", "minister"] * 20
    stories: list[StoryItem] = []
    for n in range(count):
        if n and rng.random() < 0.03:
            source = rng.choice(stories)
            body = source.body  # an exact copy at another URL
        elif n and rng.random() < 0.03:
            source = rng.choice(stories)
            body = source.body.replace(" the ", " a ", 2) + "\n\nThe ministry will review it."
        else:
            paragraphs = [
                " ".join(rng.choice(words) for _ in range(rng.randint(30, 60))).capitalize() + "."
                for _ in range(rng.randint(8, 12))
            ]
            paragraphs[0] = "HANOI: " + paragraphs[0].replace(" and ", " &amp; ", 1)
            paragraphs[1] = paragraphs[1].replace(" ", "\u00a0", 2) + "\u200b"
            body = "\n\n".join(paragraphs) + " - Reuters"
        url = f"{SECTION_URL}/2026/02/{1 + n % 28:02d}/story-{n}"
        stories.append(
            StoryItem(
                id=story_id(url),
                url=url,
                title=f"Story number {n} on the rice trade",
                summary="A summary.",
                body=body,
                published_at="2026-02-12T10:15:00+08:00",
                modified_at=None,
                authors=["Jane Doe"],
                agency="Reuters",
                dateline="HANOI",
                section="Aseanplus News",
                tags=["Vietnam", "rice"],
                image={
                    "url": "https://apicms.thestar.com.my/uploads/images/2026/02/12/1.jpg",
                    "caption": "Farmers. — Reuters",
                },
                premium=False,
                word_count=len(body.split()),
                related={"next_in": [SECTION_URL + "/2026/02/11/other"], "others_also_read": []},
                discovered_via="listing",
                referrer=SECTION_URL,
                crawled_at="2026-11-27T00:00:00+00:00",
                extraction="site",
                raw_html="<html>" + "x" * 100_000 + "</html>",
            )
        )
    return stories


@contextmanager
def crawler_in(directory: Path, run_id: str) -> Iterator[Crawler]:
    crawler = get_crawler(
        settings_dict={
            "NEWSCRAWL_DATA_DIR": str(directory / "data"),
            "NEWSCRAWL_STATE": str(directory / "state.sqlite"),
            "NEWSCRAWL_RUN_ID": run_id,
            "NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS": 3650,
            "EXTENSIONS": {"newscrawl.state.commit.StateCommitExtension": 100},
        }
    )
    state = crawl_state_for(crawler)
    state.store.begin_run(run_id, state.started_at.isoformat())
    try:
        yield crawler
    finally:
        state.close()


def run_items(process: Process, items: list[Any]) -> Timing:
    """Seconds to pass every item through ``process`` (a drop counts as done)."""
    gc.collect()
    with timed() as timing:
        for item in items:
            with suppress(DropItem):
                process(item)
    return timing[0]


@contextmanager
def timed() -> Iterator[list[Timing]]:
    """Wall and CPU seconds of the block, in the list yielded (set when the block ends)."""
    result: list[Timing] = []
    wall, cpu = time.perf_counter(), time.process_time()
    yield result
    result.append((time.perf_counter() - wall, time.process_time() - cpu))


def chain(*stages: Any) -> Process:
    def process(item: Any) -> Any:
        for stage in stages:
            item = stage.process_item(item)
        return item

    return process


def opened(pipeline: Any) -> Any:
    if hasattr(pipeline, "open_spider"):
        pipeline.open_spider()
    return pipeline


def measure(
    base: list[StoryItem], rounds: int, pages: list[tuple[str, str]]
) -> dict[str, list[Timing]]:
    cleaned = copy.deepcopy(base)
    clean = CleanPipeline()
    for item in cleaned:
        clean.process_item(item)
    timings: dict[str, list[Timing]] = {}

    def record(name: str, seconds: Timing, count: int) -> None:
        timings.setdefault(name, []).append((seconds[0] / count * 1e6, seconds[1] / count * 1e6))

    for r in range(rounds):
        if pages:  # in every round, so that both see the same machine load
            record("site parser (per page, for scale)", parse_all(pages), len(pages))
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            with crawler_in(root / "a", "bench-a") as crawler:
                fresh = copy.deepcopy(base)
                stories = copy.deepcopy(cleaned)
                record("no-op", run_items(lambda item: item, fresh), len(fresh))
                record("clean", run_items(CleanPipeline().process_item, fresh), len(fresh))
                validate = ValidatePipeline.from_crawler(crawler)
                record("validate", run_items(validate.process_item, stories), len(stories))
                quarantine = QuarantinePipeline.from_crawler(crawler)
                record(
                    "quarantine (story)", run_items(quarantine.process_item, stories), len(stories)
                )
                bad = [
                    QuarantineItem(
                        url=s.url,
                        reasons=["empty-body"],
                        stage="validate",
                        crawled_at=s.crawled_at,
                        html=f"{r}{s.raw_html}{s.id}",
                    )
                    for s in stories[:200]
                ]
                record(
                    "quarantine (page written)", run_items(quarantine.process_item, bad), len(bad)
                )
                dedupe = opened(DedupePipeline.from_crawler(crawler))
                record("dedupe", run_items(dedupe.process_item, stories), len(stories))
                version = VersionPipeline.from_crawler(crawler)
                record("version", run_items(version.process_item, stories), len(stories))
                store = crawl_state_for(crawler).store
                with timed() as commit:
                    store.commit("bench-a", [s.id for s in stories])
                record("commit (per story)", commit[0], len(stories))
            with crawler_in(root / "b", "bench-b") as crawler:
                stages = [
                    CleanPipeline.from_crawler(crawler),
                    ValidatePipeline.from_crawler(crawler),
                    QuarantinePipeline.from_crawler(crawler),
                    opened(DedupePipeline.from_crawler(crawler)),
                    VersionPipeline.from_crawler(crawler),
                ]
                fresh = copy.deepcopy(base)
                record("chain, first run (all new)", run_items(chain(*stages), fresh), len(fresh))
                crawl_state_for(crawler).store.commit("bench-b", [s.id for s in fresh])
            with crawler_in(root / "b", "bench-c") as crawler:
                stages = [
                    CleanPipeline.from_crawler(crawler),
                    ValidatePipeline.from_crawler(crawler),
                    QuarantinePipeline.from_crawler(crawler),
                    opened(DedupePipeline.from_crawler(crawler)),
                    VersionPipeline.from_crawler(crawler),
                ]
                fresh = copy.deepcopy(base)
                record("chain, rerun (all unchanged)", run_items(chain(*stages), fresh), len(fresh))
    return timings


def saved_pages() -> list[tuple[str, str]]:
    """(url, html) of the saved replica pages the site parser reads."""
    from newscrawl.pages import ArticlePage, NotAStoryError, PageError

    index_path = PAGES / "index.json"
    if not index_path.exists():
        return []
    pages: list[tuple[str, str]] = []
    for name, entry in sorted(json.loads(index_path.read_text(encoding="utf-8")).items()):
        page = PAGES / f"{name}.html"
        if page.exists():
            html = page.read_bytes().decode("utf-8", "replace")
            try:
                ArticlePage.for_page(entry["url"], html).to_data()
            except (PageError, NotAStoryError):  # bad pages and the saved photo gallery
                continue
            pages.append((entry["url"], html))
    return pages


def parse_all(pages: list[tuple[str, str]]) -> Timing:
    from newscrawl.pages import ArticlePage

    gc.collect()
    with timed() as timing:
        for url, html in pages:
            ArticlePage.for_page(url, html).to_data()
    return timing[0]


def startup_cpu(tree: Path) -> float:
    """CPU seconds of a Python process that imports the dedupe pipelines of ``tree``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", STARTUP_IMPORTS], check=True, cwd=tree,
                   env={**os.environ, "PYTHONPATH": str(tree)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def tree_round(tree: Path, argv: list[str]) -> dict[str, float]:
    """One round of this script with ``tree``'s code: median CPU µs/item by stage."""
    output = subprocess.run(
        [sys.executable, __file__, "--json", "--rounds", "1", *argv], check=True,
        capture_output=True, text=True, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
    ).stdout
    result: dict[str, float] = json.loads(output.splitlines()[-1])
    return result


def compare(other: Path, rounds: int, argv: list[str]) -> int:
    trees = {"this tree": ROOT, "compared": other.resolve()}
    cpu: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    loads = [os.getloadavg()[0]]
    for n in range(rounds):
        order = list(trees) if n % 2 == 0 else list(reversed(trees))
        for name in order:
            cpu[name].setdefault("start-up (CPU s)", []).append(startup_cpu(trees[name]))
            for stage, value in tree_round(trees[name], argv).items():
                cpu[name].setdefault(stage, []).append(value)
            loads.append(os.getloadavg()[0])
    print(f"{rounds} rounds alternated, medians; CPU µs/item (start-up: CPU s of a process "
          f"that imports the dedupe pipelines); 1-min load {min(loads):.1f}-{max(loads):.1f}")
    print(f"{'stage':<36}{'this tree':>11}{'compared':>11}{'ratio':>8}  rounds (this/compared)")
    for stage, values in cpu["this tree"].items():
        mine, theirs = statistics.median(values), statistics.median(cpu["compared"][stage])
        rounds_text = " ".join(f"{a:.2f}/{b:.2f}" if stage.startswith("start") else
                               f"{a:.0f}/{b:.0f}" for a, b in zip(values, cpu["compared"][stage],
                                                                  strict=True))
        digits = 2 if stage.startswith("start") else 1
        print(f"{stage:<36}{mine:>11.{digits}f}{theirs:>11.{digits}f}{mine / theirs:>8.2f}  "
              f"{rounds_text}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--replica", action="store_true",
                        help="the records of the synthetic replica's pages, not synthetic items")
    parser.add_argument("--compare-tree", type=Path, metavar="DIR",
                        help="also measure this checkout's code, alternated with this tree's")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compare_tree:
        forwarded = ["--items", str(args.items)] + (["--replica"] if args.replica else [])
        return compare(args.compare_tree, args.rounds, forwarded)
    base = replica_stories(args.items) if args.replica else synthetic_stories(args.items)
    words = statistics.median(len(s.body.split()) for s in base)
    kind = "replica" if args.replica else "synthetic"
    timings = measure(base, args.rounds, [] if args.json else saved_pages())
    if args.json:
        print(json.dumps({name: statistics.median(cpu for _, cpu in values)
                          for name, values in timings.items()}))
        return 0
    print(f"{len(base)} {kind} stories (median {words:.0f} words), {args.rounds} rounds")
    noop = statistics.median(wall for wall, _ in timings["no-op"])
    print(f"{'stage':<36}{'µs/item':>10}{'CPU µs':>10}{'x no-op':>10}")
    for name, values in timings.items():
        wall = statistics.median(value for value, _ in values)
        cpu = statistics.median(value for _, value in values)
        print(f"{name:<36}{wall:>10.1f}{cpu:>10.1f}{wall / noop:>10.0f}")
    parse = timings.get("site parser (per page, for scale)")
    if parse:
        first = statistics.median(wall for wall, _ in timings["chain, first run (all new)"])
        print(
            f"\nthe first-run chain costs {first / statistics.median(w for w, _ in parse):.0%} "
            "of the site parser's time per page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
