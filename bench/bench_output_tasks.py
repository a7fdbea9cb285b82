"""CPU of Scrapy's handling of one response's output, by ``CONCURRENT_ITEMS``.

For every response, Scrapy 2.19 hands the callback's output to ``_parallel_asyncio``: one task
fills a queue of ``2 x CONCURRENT_ITEMS`` and ``CONCURRENT_ITEMS`` worker tasks drain it, all
created and torn down per response however little it yields. This runs that same function
(``scrapy.utils.asyncio._parallel_asyncio``) on outputs of the sizes the crawl's pages give (a
story: its record and a request or two; a listing page: a dozen requests) with a no-op for the
processing, worker counts alternated in rounds, and prints CPU µs per response and the ratio
to the crawl's setting (``newscrawl.settings.CONCURRENT_ITEMS``).

Run: ``.venv/bin/python bench/bench_output_tasks.py [--rounds 5] [--responses 3000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator

from scrapy.utils.asyncio import _parallel_asyncio

from newscrawl import settings

COUNTS = (1, 2, 4, 8, 16, 100)  # 16: the crawl's setting before, 100: Scrapy's default
OUTPUT_SIZES = (2, 3, 12)


async def _process(output: int) -> None:
    return None


async def _outputs(size: int) -> AsyncIterator[int]:
    for n in range(size):
        yield n


async def _per_response(count: int, size: int, responses: int) -> float:
    started = time.process_time()
    for _ in range(responses):
        await _parallel_asyncio(_outputs(size), count, _process)
    return (time.process_time() - started) / responses * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--responses", type=int, default=3000)
    args = parser.parse_args(argv)
    timings: dict[tuple[int, int], list[float]] = {}

    async def run() -> None:
        for n in range(args.rounds):
            order = COUNTS[n % len(COUNTS):] + COUNTS[:n % len(COUNTS)]
            for size in OUTPUT_SIZES:
                for count in order:
                    timings.setdefault((count, size), []).append(
                        await _per_response(count, size, args.responses))

    asyncio.run(run())
    shipped = settings.CONCURRENT_ITEMS
    print(f"CPU µs per response (median of {args.rounds} rounds); ratio to "
          f"CONCURRENT_ITEMS={shipped}; load {os.getloadavg()[0]:.1f}")
    print(f"{'CONCURRENT_ITEMS':>17}" + "".join(f"{f'{s} outputs':>18}" for s in OUTPUT_SIZES))
    for count in COUNTS:
        cells = []
        for size in OUTPUT_SIZES:
            cpu = statistics.median(timings[(count, size)])
            base = statistics.median(timings[(shipped, size)])
            cells.append(f"{cpu:>9.1f} ({cpu / base:>4.2f}x)")
        print(f"{count:>17}" + "".join(f"{c:>18}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
