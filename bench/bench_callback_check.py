"""CPU of Scrapy's check for generator callbacks that return a value, per listing page.

Scrapy runs ``warn_on_generator_with_return_value`` on the callback of every response. Its
answer is cached per callable, but the listing requests name ``spider.parse_listing``, a new
bound method each time, so each listing page re-reads and parses the callback's source. The
crawl turns the check off (``WARN_ON_GENERATOR_RETURN_VALUE``, settings.py); this prints what
one check costs with the setting on and off, alternated in rounds, in CPU time.

Run: ``.venv/bin/python bench/bench_callback_check.py [--rounds 5] [--calls 200]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import types

from scrapy.settings import Settings
from scrapy.utils.misc import warn_on_generator_with_return_value

from newscrawl.spiders.thestar import TheStarSpider


class SpiderStub:
    """All the check reads of a spider: its settings."""

    def __init__(self, check: bool) -> None:
        self.settings = Settings({"WARN_ON_GENERATOR_RETURN_VALUE": check})


def ms_per_check(stub: SpiderStub, calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        callback = types.MethodType(TheStarSpider.parse_listing, stub)  # as each request has
        warn_on_generator_with_return_value(stub, callback)  # type: ignore[arg-type]
    return 1000 * (time.process_time() - started) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args(argv)
    results: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for check in (True, False):
            results[check].append(ms_per_check(SpiderStub(check), args.calls))
    on, off = (statistics.median(results[c]) for c in (True, False))
    print(f"CPU ms per listing page: check on {on:.3f} (rounds "
          f"{min(results[True]):.3f}-{max(results[True]):.3f}), off {off:.4f}; "
          f"saved {on - off:.3f} ms a listing page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
