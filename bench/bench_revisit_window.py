"""What a wider revisit window costs: requests of an incremental run by NEWSCRAWL_REVISIT_DAYS.

A story is fetched again (to catch its edits) only while it is younger than
``NEWSCRAWL_REVISIT_DAYS`` (default 2); an edit made later is never seen. This measures the
price of a wider window: run 1 crawls a synthetic replica into an empty state, then one second
run per window, each on its own copy of that state, with ``NEWSCRAWL_NOW`` one hour after the
newest story. Requests do not depend on the machine; the ratios are to the 2-day default, all
measured in this one run.

Run: ``.venv/bin/python bench/bench_revisit_window.py [--articles 2000]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from bench_incremental import SEED, copy_state, crawl
from replica_process import replica

from newscrawl.replica import synthetic_site

ARTICLES = 2000
WINDOWS = (0, 1, 2, 7, 14, 30)
DEFAULT_WINDOW = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    args = parser.parse_args(argv)
    site = synthetic_site(args.articles, SEED)
    newest = max(a.published for a in site.articles)
    oldest = min(a.published for a in site.articles)
    now = newest + timedelta(hours=1)
    with tempfile.TemporaryDirectory(prefix="bench-revisit-") as tmp, \
            replica(args.articles) as origin:
        workdir = Path(tmp)
        state = workdir / "run1" / "state.sqlite"
        first = crawl("run1", origin, workdir, state, now)
        runs = {days: crawl(f"days{days}", origin, workdir,
                            copy_state(state, workdir / f"state{days}"), now,
                            (f"NEWSCRAWL_REVISIT_DAYS={days}",))
                for days in WINDOWS}
    span = (newest - oldest).total_seconds() / 86400
    print(f"Revisit window, {args.articles:,}-article synthetic replica (seed {SEED}, stories "
          f"over {span:.0f} days, ~{args.articles / max(span, 1):.0f}/day), render=never; "
          f"run 1: {first.requests} requests")
    print(f"{'NEWSCRAWL_REVISIT_DAYS':<24} {'requests':>8} {'revisited':>9} {'x default':>9}")
    base = runs[DEFAULT_WINDOW].requests
    for days, run in runs.items():
        print(f"{days:<24} {run.requests:>8} {run.count('newscrawl/revisit'):>9} "
              f"{run.requests / base:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
