"""Story pages read in other processes (``NEWSCRAWL_READ_PROCESSES``), so that the crawl's own
process (Scrapy, Twisted, the pipelines) and the reading run on two cores at once.

The reading itself is ``newscrawl.reading.story_read``: pure, so a worker needs no Scrapy. This is
the glue around a ``ProcessPoolExecutor``: a page's text goes out, one ``StoryRead`` comes back.
Workers are *spawned* (never forked: the crawl process has threads, and a fork copies their
locks held), so they are the crawl's own children, reaped when the pool shuts down at the
spider's close, and their CPU counts in the crawl's ``RUSAGE_CHILDREN``.

Nothing is lost when the pool fails: the page is read in the crawl's process, counted under
``newscrawl/read_pool/fallback/<reason>`` and logged. A pool that breaks (a worker killed: the
OOM killer, an operator) is **rebuilt**, up to ``MAX_REBUILDS`` times a run: one lost worker says
nothing about the next, and a run left in-process would lose the pool's speed for the rest of
its pages. A pool that keeps breaking is **abandoned** for the run (every page read in-process,
``newscrawl/read_pool/abandoned``): a fault that recurs would otherwise cost a process start
and a second reading of every page in flight each time.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Final

from scrapy.statscollectors import StatsCollector

from newscrawl.reading.story_read import StoryRead, ValuesWanted, read_story
from newscrawl.reading.worker import start_reader

logger = logging.getLogger(__name__)

PREFIX: Final = "newscrawl/read_pool"
MAX_REBUILDS: Final = 3

Reader = Callable[[str, str, str | bytes, str | None, ValuesWanted | None], StoryRead]


class StoryReadPool:
    """``processes`` workers (0: none, every page is read in-process by the caller). ``reader``
    is what a worker runs (a module-level function: it is sent by name)."""

    def __init__(self, processes: int, stats: StatsCollector,
                 reader: Reader = read_story) -> None:
        self.processes = processes
        self._stats = stats
        self._reader = reader
        self._executor: ProcessPoolExecutor | None = None
        self._rebuilds = 0
        self._abandoned = False

    @property
    def running(self) -> bool:
        """Whether pages go to the pool (else the caller reads them itself)."""
        return self.processes > 0 and not self._abandoned

    async def read(self, url: str, page_url: str, html: str | bytes, content_type: str | None,
                   wanted: ValuesWanted | None) -> StoryRead | None:
        """The page read by a worker; None when the pool failed it (the caller reads it)."""
        executor = self._executor if self._executor is not None else self._start()
        try:
            future = executor.submit(self._reader, url, page_url, html, content_type, wanted)
            read = await asyncio.wrap_future(future)
        except BrokenProcessPool as error:
            self._fell_back("broken", url, error)
            self._broken(executor)
            return None
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            # The page or its reading did not pickle: the pool itself is fine.
            self._fell_back("unpicklable", url, error)
            return None
        except Exception as error:  # the reader catches the page's own errors: this is the pool's
            self._fell_back("error", url, error)
            return None
        self._stats.inc_value(f"{PREFIX}/read")
        return read

    def close(self) -> None:
        """Stop the workers and wait for them (no orphan process, their CPU accounted)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _start(self) -> ProcessPoolExecutor:
        self._executor = ProcessPoolExecutor(
            max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
            initializer=start_reader)
        return self._executor

    def _broken(self, executor: ProcessPoolExecutor) -> None:
        if executor is not self._executor:  # another page in flight counted this break already
            return
        self._stats.inc_value(f"{PREFIX}/broken")
        self.close()
        if self._rebuilds >= MAX_REBUILDS:
            self._abandoned = True
            self._stats.set_value(f"{PREFIX}/abandoned", 1)
            logger.warning("the reading pool broke %d times: story pages are read in the "
                           "crawl's process for the rest of the run", self._rebuilds + 1)
            return
        self._rebuilds += 1
        self._stats.inc_value(f"{PREFIX}/rebuilt")
        logger.warning("the reading pool broke (a worker died): a new one reads on")

    def _fell_back(self, reason: str, url: str, error: BaseException) -> None:
        self._stats.inc_value(f"{PREFIX}/fallback/{reason}")
        logger.warning("read in the crawl's process (reading pool: %s, %s): %s",
                       reason, type(error).__name__, url)
