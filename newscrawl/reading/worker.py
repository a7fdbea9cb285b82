"""What a reading process sets up before its first page (the pool's ``initializer``)."""

from __future__ import annotations

import signal


def start_reader() -> None:
    """Ctrl-C reaches the whole process group: the crawl decides when its readers stop (its
    pool shuts down at the spider's close), so a reader must not die mid-page on SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
