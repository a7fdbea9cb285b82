"""Body quality and speed of the fallback extractor against trafilatura alone, side by side.

    .venv/bin/python bench/bench_fallback.py [--worst 10] [--dev fixtures/extraction-dev]
                                             [--parts]

Both read the same 91 real pages of the extraction development set (bodies marked by hand),
page by page in turn, so both see the same machine load. Prints the benchmark's measure (body F1,
precision, recall: see fixtures/extraction-dev/README.md) for the whole set and for two fixed
halves (a figure that holds on both is less likely an accident of a few pages), the pages where
the fallback differs most from trafilatura, the count of pages more than 0.05 below it, and
ms/page. ``--parts`` adds the fallback's two readers alone (trafilatura in precision mode with
tables, the readability fork trafilatura ships), to show what combining them is worth.
Exits 1 when the fallback misses its goals (F1 >= 0.97, no page 0.05 below).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura
from trafilatura.readability_lxml import Document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the dev set's loader is shared with the tests

from newscrawl.pages import FallbackArticlePage, document  # noqa: E402
from newscrawl.pages.shingles import Overlap, averaged, overlap  # noqa: E402
from tests.pages.extraction_dev import DEV_DIR, DevPage, halves, load_dev_pages  # noqa: E402

GOAL_F1 = 0.97
MAX_PAGE_LOSS = 0.05


def trafilatura_alone(page: DevPage) -> str:
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""


def fallback(page: DevPage) -> str:
    return "\n".join(FallbackArticlePage(page.url, page.html).paragraphs())


def precision_alone(page: DevPage) -> str:
    return trafilatura.extract(page.html, url=page.url, include_comments=False,
                               include_tables=True, favor_precision=True) or ""


def readability_alone(page: DevPage) -> str:
    summary = Document(document.parse(page.html)).summary()
    # Words of adjacent blocks must not run together; spaces inside a word are rare.
    return " ".join(document.parse(summary).itertext()) if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[DevPage], str]] = {
    "trafilatura": trafilatura_alone, "fallback": fallback,
}
PARTS: dict[str, Callable[[DevPage], str]] = {
    "trafilatura precision": precision_alone, "readability fork": readability_alone,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=DEV_DIR)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--parts", action="store_true")
    args = parser.parse_args(argv)
    pages = load_dev_pages(args.dev)
    extractors = {**EXTRACTORS, **(PARTS if args.parts else {})}
    scores: dict[str, dict[str, Overlap]] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for page in pages:
        for name, extract in extractors.items():
            start = time.perf_counter()
            text = extract(page)
            seconds[name] += time.perf_counter() - start
            scores[name][page.id] = overlap(page.body, text)

    print(f"{len(pages)} pages of {args.dev}")
    first, second = halves(pages)
    print(f"{'':22} {'F1':>6} {'prec':>6} {'recall':>6} | {'F1 half 1':>9} {'F1 half 2':>9}"
          f" | ms/page")
    for name, by_page in scores.items():
        whole = averaged(list(by_page.values()))
        parts = [averaged([by_page[p.id] for p in half]).f1 for half in (first, second)]
        print(f"{name:22} {whole.f1:6.3f} {whole.precision:6.3f} {whole.recall:6.3f} | "
              f"{parts[0]:9.3f} {parts[1]:9.3f} | {seconds[name] / len(pages) * 1000:7.1f}")
    deltas = sorted(((scores["fallback"][p.id].f1 - scores["trafilatura"][p.id].f1, p)
                     for p in pages), key=lambda pair: pair[0])
    print("\nlargest differences, fallback F1 minus trafilatura F1 per page (worst first):")
    for delta, page in [*deltas[:args.worst], *deltas[-3:]]:
        print(f"  {delta:+.3f}  fallback {scores['fallback'][page.id].f1:.3f}  "
              f"trafilatura {scores['trafilatura'][page.id].f1:.3f}  {page.id[:10]}  "
              f"{page.url[:70]}")
    below = [p for delta, p in deltas if delta < -MAX_PAGE_LOSS]
    print(f"\npages more than {MAX_PAGE_LOSS} below trafilatura: {len(below)}")
    f1 = averaged(list(scores["fallback"].values())).f1
    ratio = seconds["fallback"] / seconds["trafilatura"]
    print(f"fallback F1 {f1:.3f} (goal >= {GOAL_F1}); fallback takes {ratio:.2f}x "
          f"trafilatura's time")
    return 0 if f1 >= GOAL_F1 and not below else 1


if __name__ == "__main__":
    sys.exit(main())
