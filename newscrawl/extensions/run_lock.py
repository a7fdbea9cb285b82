"""RunLockExtension: the crawl itself holds the run lock (``newscrawl.runs.lock``), so two
crawls on one data directory, whether started by ``scrapy crawl`` or ``newscrawl run``, never
run at the same time (they would both publish the stories neither had committed yet).

Taken when the extension is built, before ``StateCommitExtension`` (a higher EXTENSIONS order)
recovers a killed run's feed into the store, and released when the engine has stopped, after
the last commit. A crawl started by ``newscrawl run`` inherits its parent's lock
(``$NEWSCRAWL_RUN_LOCK_FD``) rather than waiting for it. A crawl that finds the lock taken
prints one line and exits 3, as ``newscrawl run`` does when locked out.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.config import NewscrawlConfig
from newscrawl.distributed.config import redis_url
from newscrawl.runs.exit_codes import ExitCode
from newscrawl.runs.lock import LOCK_FD_ENV, RunLock, RunLockedError

logger = logging.getLogger(__name__)


class RunLockExtension:
    def __init__(self, crawler: Crawler, lock: RunLock) -> None:
        self.crawler = crawler
        self.lock = lock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if redis_url(crawler.settings):
            # A worker of a shared crawl: its siblings on this data directory run at the same
            # time by design, and Redis (leases, story claims) keeps them from publishing a
            # story twice; `newscrawl run --workers` holds the run lock for all of them.
            raise NotConfigured("a distributed worker: the run lock is its pool's")
        lock = RunLock(NewscrawlConfig.from_settings(crawler.settings).layout.lock)
        inherited = os.environ.get(LOCK_FD_ENV, "")
        if not (inherited.isdigit() and lock.inherit(int(inherited))):
            try:
                lock.acquire()
            except RunLockedError:
                print(f"newscrawl: another run holds {lock.path}; not starting",
                      file=sys.stderr)
                raise SystemExit(int(ExitCode.LOCKED)) from None
            except OSError as error:  # a read-only or full data directory, say
                print(f"newscrawl: cannot take the run lock {lock.path}: {error}",
                      file=sys.stderr)
                raise SystemExit(int(ExitCode.FAILED)) from None
        logger.info("Run lock %s held", lock.path)
        extension = cls(crawler, lock)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        # Connected now, after every extension connected its own engine_stopped handler, so
        # the lock goes last, after StateCommitExtension's final writes.
        self.crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def engine_stopped(self) -> None:
        self.lock.release()
