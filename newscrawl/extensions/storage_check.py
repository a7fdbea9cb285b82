"""A data directory the crawl cannot write to stops it before it starts, with one line.

Read-only or full, the first sign used to be a traceback in the middle of the run, after pages
were fetched for nothing, and the crawl still exited 0. Every directory the run writes to is
probed (a hidden file written, synced and removed) before the state store is opened, so a
refused run leaves the state untouched. A disk that fills up during the run is caught where the
feed is written (``newscrawl.feeds.storage``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Final, Self

from scrapy.crawler import Crawler

from newscrawl.config import NewscrawlConfig
from newscrawl.feeds import storage_error
from newscrawl.runs.exit_codes import ExitCode

PROBE_BYTES: Final = b"newscrawl write probe\n"


def probe(directory: Path) -> None:
    """Create ``directory`` if needed and write, sync and remove a small file in it."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f".newscrawl-probe-{os.getpid()}"
    try:
        with target.open("wb") as file:
            file.write(PROBE_BYTES)
            file.flush()
            os.fsync(file.fileno())
    finally:
        target.unlink(missing_ok=True)


class StorageCheckExtension:
    """Must come first in EXTENSIONS: before the run lock and the state store open anything."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = NewscrawlConfig.from_settings(crawler.settings)
        directories = [config.layout.runs, config.layout.quarantine,
                       config.state_path.parent, config.monitor_results_path.parent]
        if config.stats_path is not None:
            directories.append(config.stats_path.parent)
        for directory in dict.fromkeys(directories):
            try:
                probe(directory)
            except OSError as error:
                # One line, then out (exit 1): the spider's bad arguments leave the same way.
                print(f"newscrawl: {storage_error(directory, error)}", file=sys.stderr)
                raise SystemExit(int(ExitCode.FAILED)) from None
        return cls()
