"""A ``file://`` feed storage that never shows a half-written feed where readers look.

Scrapy's ``FileFeedStorage`` writes straight to the final path, so a crawl killed mid-way leaves
a truncated JSON Lines file that the dataset build would take for a finished run. This storage
writes to a hidden part file in the same directory (same filesystem, so the rename is atomic),
fsyncs it and ``os.replace``s it onto the final name when Scrapy stores the feed. A run killed
before that leaves only the part file, whose name carries the writer's pid so that the next run
can tell a dead writer's leftovers from a live one's work.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Self, cast

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from w3lib.url import file_uri_to_path

from newscrawl.crawl_failure import fail
from newscrawl.feeds.files import PartFile, fsync_directory, storage_error, sweep_stale_parts

logger = logging.getLogger(__name__)

# Where Scrapy logs a feed whose store() raised: with a traceback, after our own line.
_FEED_EXPORT_LOGGER = "scrapy.extensions.feedexport"


class FeedNotStoredError(OSError):
    """store() failed and the crawl already said so in one line (``crawl_failure``)."""


class ReportedStoreFilter(logging.Filter):
    """Drops Scrapy's "Error storing … feed" record and its traceback for a store failure the
    storage has already reported: disk full gives one line, not the line plus a traceback.
    Scrapy still counts the failure (``feedexport/failed_count/…``), and any other error of
    the feed exporter is logged as before."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], FeedNotStoredError))


_REPORTED_STORE_FILTER = ReportedStoreFilter()


class AtomicFileFeedStorage:
    """Scrapy feed storage (``FEED_STORAGES = {"file": ..., "": ...}``) with atomic publish.

    ``overwrite`` keeps Scrapy's meaning: without it an existing feed is copied into the part
    file first, so appending stays atomic too. A write that fails (disk full) fails the crawl
    once, with one line naming the feed, and stops it: the part file is removed when the feed
    is stored, so nothing half-written is left, and the stories stay unseen for the next run.
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        # Scrapy also builds a storage from the URI *template* to check it is supported, so
        # the constructor must not touch the filesystem.
        self.path = Path(file_uri_to_path(uri) if uri.startswith("file:") else uri)
        self.overwrite = bool((feed_options or {}).get("overwrite", False))
        self.part = PartFile.for_target(self.path, os.getpid())
        self.crawler = crawler
        self.error: OSError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> Self:
        feed_logger = logging.getLogger(_FEED_EXPORT_LOGGER)
        if _REPORTED_STORE_FILTER not in feed_logger.filters:
            feed_logger.addFilter(_REPORTED_STORE_FILTER)
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Any) -> IO[bytes]:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        sweep_stale_parts(directory)
        file = self.part.path.open("wb")
        if not self.overwrite and self.path.exists():
            with self.path.open("rb") as existing:
                shutil.copyfileobj(existing, file)
        return cast(IO[bytes], GuardedFile(file, self._write_failed))

    def store(self, file: IO[bytes]) -> None:
        try:
            if self.error is not None:
                raise self.error
            if not file.closed:
                file.flush()
                os.fsync(file.fileno())
                file.close()
            self.part.path.replace(self.path)
            fsync_directory(self.path.parent)
        except OSError as error:
            self.part.path.unlink(missing_ok=True)
            self._write_failed(error, stop=False)  # the crawl is closing already
            # Still raised: Scrapy must count the feed as failed, not log it as stored.
            raise FeedNotStoredError(error.errno, error.strerror, str(self.path)) from error
        logger.debug("Published feed %s", self.path)

    def _write_failed(self, error: OSError, *, stop: bool = True) -> None:
        if self.error is not None:
            return  # said once
        self.error = error
        if self.crawler is not None:
            fail(self.crawler, f"feed not stored: {storage_error(self.path, error)}")
            engine = self.crawler.engine
            if stop and engine is not None:  # no more pages for a feed that cannot take them
                deferred_from_coro(engine.close_spider_async(reason="storage-error"))


class GuardedFile:
    """The part file, as the exporter sees it: the first failed write is reported, and the
    writes after it are dropped (one line in the log, not one traceback per item)."""

    def __init__(self, file: IO[bytes], on_error: Callable[[OSError], None]) -> None:
        self._file = file
        self._on_error = on_error
        self.failed = False

    def write(self, data: bytes) -> int:
        if self.failed:
            return len(data)
        try:
            return self._file.write(data)
        except OSError as error:
            self.failed = True
            self._on_error(error)
            return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)
