"""CPU of Scrapy's ``item_scraped`` dispatch: the project's three handlers as three receivers
(before) or behind one (``newscrawl.item_signals``), beside Scrapy's own two.

    .venv/bin/python bench/bench_item_signals.py [--rounds 10] [--items 3000]

A crawl's item_scraped goes to the core stats, the feed exporter, and the project's story
tally, pending stories and state commit. Scrapy 2.19 runs each receiver as an asyncio task and
matches the signal's arguments to it on every call, so the receivers, not the handlers, are
what the dispatch costs. Here every handler does nothing, so only the dispatch is measured:
both ways in one process under asyncio, alternated round by round (the order flipping), CPU µs
per item, medians and the least of the rounds, with the 1-minute load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from typing import Any

from scrapy import signals
from scrapy.utils.test import get_crawler

from newscrawl.item_signals import on_item_scraped

PROJECT_HANDLERS = 3  # the story tally, the pending stories, the state commit
SCRAPY_RECEIVERS = 2  # the core stats, the feed exporter


class _Handler:
    def item_scraped(self, item: Any) -> None:
        pass


def crawler(shared: bool) -> Any:
    made = get_crawler()
    handlers = [_Handler() for _ in range(SCRAPY_RECEIVERS + PROJECT_HANDLERS)]
    made.bench_handlers = handlers  # receivers are weak references: keep them alive
    for n, handler in enumerate(handlers):
        if shared and n >= SCRAPY_RECEIVERS:
            on_item_scraped(made, handler.item_scraped)
        else:
            made.signals.connect(handler.item_scraped, signal=signals.item_scraped)
    return made


async def dispatch(made: Any, items: int) -> float:
    send = made.signals.send_catch_log_async
    start = time.process_time()
    for n in range(items):
        await send(signal=signals.item_scraped, item=n, response=None, spider=None)
    return (time.process_time() - start) / items * 1e6


async def measure(rounds: int, items: int) -> dict[str, list[float]]:
    ways = {"one receiver each": crawler(False), "one shared receiver": crawler(True)}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    for n in range(rounds):
        for name in list(ways) if n % 2 == 0 else list(reversed(ways)):
            cpu[name].append(await dispatch(ways[name], items))
    return cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--items", type=int, default=3000)
    args = parser.parse_args(argv)
    loads = [os.getloadavg()[0]]
    cpu = asyncio.run(measure(args.rounds, args.items))
    loads.append(os.getloadavg()[0])
    print(f"item_scraped to {SCRAPY_RECEIVERS} Scrapy receivers and {PROJECT_HANDLERS} project "
          f"handlers, {args.rounds} rounds of {args.items} items alternated, CPU µs per item; "
          f"1-min load {min(loads):.1f}-{max(loads):.1f}")
    for name, values in cpu.items():
        print(f"{name:<22} median {statistics.median(values):7.1f}   least {min(values):7.1f}")
    before, after = (statistics.median(v) for v in cpu.values())
    print(f"{'less a story':<22} median {before - after:7.1f}   ratio {after / before:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
