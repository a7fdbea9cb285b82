"""Extraction time per page: the site parser (``ArticlePage``) against trafilatura, side by side.

    .venv/bin/python bench/bench_extraction.py [--rounds 20] [--pages fixtures/pages]

Both read the same saved replica pages (the good ones), interleaved page by page so that both
see the same machine load; each round goes over every page once. Prints ms/page and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from newscrawl.pages import ArticlePage, PageError

ROOT = Path(__file__).resolve().parents[1]


def load_pages(pages_dir: Path) -> list[tuple[str, str]]:
    """(url, html) of each saved page the site parser reads with its own selectors.

    Pages read by the fallback (trafilatura itself) and bad pages are left out.
    """
    index = json.loads((pages_dir / "index.json").read_text(encoding="utf-8"))
    pages: list[tuple[str, str]] = []
    for name, entry in sorted(index.items()):
        html = (pages_dir / f"{name}.html").read_bytes().decode("utf-8", "replace")
        try:
            data = ArticlePage.for_page(entry["url"], html).to_data()
        except PageError:
            continue
        if data.extraction == "site":
            pages.append((entry["url"], html))
    return pages


def site_parser(url: str, html: str) -> object:
    return ArticlePage.for_page(url, html).to_data()


def generic(url: str, html: str) -> object:
    return trafilatura.extract(html, url=url)


def timed(func: Callable[[str, str], object], url: str, html: str) -> float:
    start = time.perf_counter()
    func(url, html)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pages", type=Path, default=ROOT / "fixtures" / "pages")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages)
    if not pages:
        print(f"no readable pages in {args.pages}", file=sys.stderr)
        return 1
    for url, html in pages:  # warm-up: imports, selector compilation, trafilatura's caches
        site_parser(url, html)
        generic(url, html)
    per_round: dict[str, list[float]] = {"site parser": [], "trafilatura": []}
    gc.disable()  # collections would land on whichever call happens to trigger them
    try:
        for _ in range(args.rounds):
            totals = {"site parser": 0.0, "trafilatura": 0.0}
            for url, html in pages:
                totals["site parser"] += timed(site_parser, url, html)
                totals["trafilatura"] += timed(generic, url, html)
            for name, total in totals.items():
                per_round[name].append(total / len(pages) * 1000)
            gc.collect()
    finally:
        gc.enable()
    size = statistics.mean(len(html) for _, html in pages) / 1024
    print(f"{len(pages)} pages (mean {size:.1f} KiB), {args.rounds} rounds")
    medians = {name: statistics.median(values) for name, values in per_round.items()}
    for name, values in per_round.items():
        print(f"{name:12} {medians[name]:7.3f} ms/page (median of rounds; "
              f"min {min(values):.3f}, max {max(values):.3f})")
    ratio = medians["trafilatura"] / medians["site parser"]
    print(f"site parser is {ratio:.1f}x faster than trafilatura "
          f"(ratio site/trafilatura = {1 / ratio:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
