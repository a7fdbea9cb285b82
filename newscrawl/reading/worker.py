"""What a reading process sets up before its first page (the pool's ``initializer``)."""

from __future__ import annotations

import gc
import signal
from typing import Final

# As the crawl's own process (GcTuningExtension): reading a page makes many short-lived
# objects, and the default 700-allocation threshold collects the young generation dozens of
# times a page. A spawned process inherits none of the crawl's tuning.
GEN0_THRESHOLD: Final = 20_000


def start_reader() -> None:
    """Ctrl-C reaches the whole process group: the crawl decides when its readers stop (its
    pool shuts down at the spider's close), so a reader must not die mid-page on SIGINT.
    The page classes are loaded and frozen out of the collector's walks once, up front."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import newscrawl.reading.story_read  # noqa: F401  (what every page needs, frozen below)

    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])
