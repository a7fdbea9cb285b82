"""``scrapy`` in this process, its CPU seconds written at exit to the file named by
``NEWSCRAWL_BENCH_CPU``: ``{"crawler": own user+system, "children": the browser and Playwright
driver processes it waited for}``. The crawler is one Python thread, so its CPU per story is
the figure a machine shared with other work does not blur as much as wall time."""

from __future__ import annotations

import atexit
import json
import os
import resource
import sys
from pathlib import Path

from scrapy.cmdline import execute


def _write_cpu() -> None:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(os.environ["NEWSCRAWL_BENCH_CPU"]).write_text(json.dumps({
        "crawler": own.ru_utime + own.ru_stime,
        "children": children.ru_utime + children.ru_stime}))


if __name__ == "__main__":
    atexit.register(_write_cpu)
    sys.argv[0] = "scrapy"
    execute()
