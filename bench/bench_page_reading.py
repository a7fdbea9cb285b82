"""Reading a story page as the spider does, this tree against another checkout, in one run.

    .venv/bin/python bench/bench_page_reading.py --compare-tree DIR [--articles 1500]
        [--stories 300] [--rounds 6] [--repeat 3] [--parts]

The replica (its own process) serves ``--articles`` synthetic stories; ``--stories`` story pages
(and the continuation of each long one) are fetched once and saved. Each round then runs one
child process per tree, the order alternating round by round, and each child reads every saved
page ``--repeat`` times the way ``parse_article`` does (decode the bytes, ``for_page``, the
section label, the base check, the continuation URL, ``to_data``, with the continuation for a
long story). A child reports its CPU time per page (``time.process_time_ns``, the steady measure
on a shared machine) and wall time, and the record (or the error) of every page.

First both trees are read in this one process too, alternating page by page (the other
tree's package copied as ``newscrawl_compared``), 2 x ``--repeat`` passes. Printed: CPU ms per
page of each tree that way; CPU and wall ms per page of each tree from the child processes,
medians of the rounds, the ratio, the 1-minute load average per round; and the page-by-page
comparison of the two trees' output, which must be identical (the exit status is 1
otherwise). ``--parts`` (the default without a tree to compare) prints a profile of this
tree: CPU per page of each part of the reading (each field's first read alone;
``to_data (cached)`` is what is left, including the "Next In" links, read again).

``--compare-tree`` is a checkout of the code before a change, e.g.
``git worktree add /tmp/base main`` or ``git archive main newscrawl | tar -x -C /tmp/base``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from replica_process import replica

REPO = Path(__file__).resolve().parents[1]


def fetch(url: str) -> tuple[bytes, str | None]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers.get("Content-Type")


def save_pages(origin: str, stories: int, out: Path) -> int:
    """Story pages of the replica's listing (and long stories' continuations) saved to ``out``."""
    from newscrawl.pages import ArticlePage, ListingPage, NotAStoryError, PageError

    urls: list[str] = []
    listing: str | None = f"{origin}/aseanplus/aseanplus-news"
    seen: set[str] = set()
    while listing and len(urls) < stories:
        body, _ = fetch(listing)
        data = ListingPage(listing, body.decode("utf-8")).to_data()
        urls += [u for u in data.story_links if u.startswith(origin) and u not in seen]
        seen.update(data.story_links)
        listing = data.next_page
    pages: list[dict[str, Any]] = []
    for url in urls[:stories]:
        body, content_type = fetch(url)
        entry: dict[str, Any] = {"url": url, "content_type": content_type,
                                 "body": body.decode("latin-1"), "rest": None}
        try:
            rest = ArticlePage.for_page(url, body, content_type).continuation_url()
        except (PageError, NotAStoryError):
            rest = None
        if rest is not None:
            entry["rest"] = fetch(rest)[0].decode("utf-8")
        pages.append(entry)
    out.write_text(json.dumps(pages), encoding="utf-8")
    return len(pages)


# -- the child: one tree's code reads every saved page ----------------------------------------


def read_page(url: str, body: bytes, content_type: str | None, rest: str | None,
              package: str = "newscrawl") -> str:
    """What ``parse_article`` gets from the page classes, as text to compare."""
    pages = importlib.import_module(f"{package}.pages")
    decode_html = importlib.import_module(f"{package}.pages.charset").decode_html
    NotAStoryError, PageError = pages.NotAStoryError, pages.PageError  # noqa: N806

    decoded = decode_html(body, content_type)
    try:
        page = pages.ArticlePage.for_page(url, decoded.text, content_type)
        foreign = page.has_foreign_base()
        label = page.section_label()
        continuation = page.continuation_url()
        data = page.to_data(rest) if continuation is None or rest is not None else None
    except NotAStoryError as skipped:
        return f"skipped {skipped.kind}"
    except PageError as error:
        return f"error {error.reason}"
    return repr((decoded.encoding, foreign, label, continuation, data))


def child(pages_path: Path, repeat: int) -> None:
    pages = [(p["url"], p["body"].encode("latin-1"), p["content_type"], p["rest"])
             for p in json.loads(pages_path.read_text(encoding="utf-8"))]
    outputs = [read_page(*page) for page in pages]  # warm-up: imports, compiled selectors
    cpu = time.process_time_ns()
    wall = time.perf_counter_ns()
    for _ in range(repeat):
        for page in pages:
            read_page(*page)
    count = repeat * len(pages)
    print(json.dumps({"cpu_ms": (time.process_time_ns() - cpu) / 1e6 / count,
                      "wall_ms": (time.perf_counter_ns() - wall) / 1e6 / count,
                      "outputs": outputs}))


def parts(pages_path: Path, repeat: int) -> None:
    """CPU per page of each part of the reading, each field's first read timed alone."""
    from newscrawl.pages import ArticlePage, NotAStoryError, PageError, document
    from newscrawl.pages.charset import decode_html
    from newscrawl.pages.summary import summary_of
    from newscrawl.pages.wire import find_agency, find_dateline

    pages = [(p["url"], p["body"].encode("latin-1"), p["content_type"], p["rest"])
             for p in json.loads(pages_path.read_text(encoding="utf-8"))]
    totals: dict[str, int] = {}

    def timed(name: str, func: Callable[[], Any]) -> Any:
        start = time.process_time_ns()
        value = func()
        totals[name] = totals.get(name, 0) + time.process_time_ns() - start
        return value

    count = 0
    for n in range(repeat + 1):
        if n == 1:
            totals.clear()  # the first pass is the warm-up
            count = 0
        for url, body, content_type, rest in pages:
            text = timed("decode", lambda: decode_html(body, content_type).text)  # noqa: B023
            timed("check", lambda: document.check(text, content_type))  # noqa: B023
            timed("lxml parse", lambda: document.parse(text))  # noqa: B023
            try:
                page = timed("for_page (all)",
                             lambda: ArticlePage.for_page(url, text, content_type))  # noqa: B023
            except (PageError, NotAStoryError):
                continue
            count += 1
            for name in ("has_foreign_base", "section_label", "continuation_url", "title",
                         "paragraphs", "published_at", "description", "modified_at",
                         "authors", "tags", "image", "premium", "next_in_links",
                         "others_also_read_links", "media"):
                timed(name, getattr(page, name))
            paragraphs = page.paragraphs()
            timed("summary/agency/dateline", lambda: (
                summary_of(page.description(), paragraphs),  # noqa: B023
                find_agency(paragraphs[-1]), find_dateline(paragraphs[0])))  # noqa: B023
            timed("to_data (cached)", lambda: page.to_data(rest))  # noqa: B023
    everything = sum(v for k, v in totals.items() if k not in ("check", "lxml parse"))
    for name, total in totals.items():
        print(f"  {name:<26}{total / count / 1e6:>7.3f} ms")
    print(f"  {'all but check/parse':<26}{everything / count / 1e6:>7.3f} ms "
          "(check and parse are inside for_page)")


def interleaved(pages_path: Path, tree: Path, repeat: int, workdir: Path) -> None:
    """Both trees in this process, alternating page by page (the order flips every page), so
    that both see the same load at the same moment: the finer measure on a busy machine.

    The other tree's package is copied as ``newscrawl_compared`` (its imports renamed)."""
    copy = workdir / "newscrawl_compared"
    shutil.copytree(tree / "newscrawl", copy)
    for source in copy.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"\bnewscrawl\.", "newscrawl_compared.", text)
        source.write_text(text.replace("from newscrawl import", "from newscrawl_compared import"),
                          encoding="utf-8")
    sys.path.insert(0, str(workdir))
    pages = [(p["url"], p["body"].encode("latin-1"), p["content_type"], p["rest"])
             for p in json.loads(pages_path.read_text(encoding="utf-8"))]
    packages = {"this tree": "newscrawl", "compared": "newscrawl_compared"}
    outputs = {name: [read_page(*page, package=package) for page in pages]  # warm-up
               for name, package in packages.items()}
    cpu = dict.fromkeys(packages, 0)
    for n in range(repeat):
        for index, page in enumerate(pages):
            order = list(packages) if (n + index) % 2 == 0 else list(packages)[::-1]
            for name in order:
                start = time.process_time_ns()
                read_page(*page, package=packages[name])
                cpu[name] += time.process_time_ns() - start
    count = repeat * len(pages)
    ours, theirs = (cpu[name] / count / 1e6 for name in packages)
    print(f"\nsame process, page by page ({repeat} passes, load {os.getloadavg()[0]:.1f}): "
          f"this tree {ours:.3f}, compared {theirs:.3f} ms CPU/page: {theirs - ours:+.3f} ms "
          f"saved, ratio {ours / theirs:.2f}")
    differ = sum(a != b for a, b in zip(outputs["this tree"], outputs["compared"], strict=True))
    print(f"output: {len(pages) - differ} of {len(pages)} pages identical")


# -- the parent -------------------------------------------------------------------------------


def run_child(tree: Path, pages_path: Path, repeat: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(pages_path), "--repeat", str(repeat)],
        env=env, check=True, capture_output=True, text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare-tree", type=Path, metavar="DIR")
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parts", action="store_true")
    parser.add_argument("--pages", type=Path,
                        help="where the pages are saved; reused when it exists")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.repeat)
        return 0
    if args.profile:
        parts(args.profile, args.repeat)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        pages_path = args.pages or Path(tmp) / "pages.json"
        if not pages_path.exists():
            with replica(args.articles) as origin:
                saved = save_pages(origin, args.stories, pages_path)
            print(f"{saved} story pages saved from a {args.articles}-article replica")
        if args.parts or args.compare_tree is None:
            print("this tree, CPU per page of each part:", flush=True)
            subprocess.run([sys.executable, __file__, "--profile", str(pages_path),
                            "--repeat", str(args.repeat)], check=True)
        if args.compare_tree is None:
            return 0
        interleaved(pages_path, args.compare_tree.resolve(), args.repeat * 2, Path(tmp))
        trees = {"this tree": REPO, "compared": args.compare_tree.resolve()}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for n in range(args.rounds):
            order = list(trees) if n % 2 == 0 else list(trees)[::-1]
            for name in order:
                result = run_child(trees[name], pages_path, args.repeat)
                runs[name].append(result)
                print(f"  round {n + 1} {name:<10} {result['cpu_ms']:6.3f} ms CPU/page "
                      f"{result['wall_ms']:6.3f} ms wall/page  load {os.getloadavg()[0]:.1f}",
                      flush=True)
    cpu = {name: statistics.median(r["cpu_ms"] for r in rs) for name, rs in runs.items()}
    wall = {name: statistics.median(r["wall_ms"] for r in rs) for name, rs in runs.items()}
    ratios = [a["cpu_ms"] / b["cpu_ms"]
              for a, b in zip(runs["this tree"], runs["compared"], strict=True)]
    print(f"\nCPU ms/page (medians): this tree {cpu['this tree']:.3f}, compared "
          f"{cpu['compared']:.3f}: {cpu['compared'] - cpu['this tree']:+.3f} ms saved, ratio "
          f"{statistics.median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})")
    print(f"wall ms/page (medians): this tree {wall['this tree']:.3f}, compared "
          f"{wall['compared']:.3f}, ratio {wall['this tree'] / wall['compared']:.2f}")
    ours, theirs = runs["this tree"][0]["outputs"], runs["compared"][0]["outputs"]
    differ = [n for n, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    print(f"output: {len(ours) - len(differ)} of {len(ours)} pages identical")
    for n in differ[:5]:
        print(f"  page {n} differs:\n    this tree {ours[n][:300]}\n"
              f"    compared  {theirs[n][:300]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
