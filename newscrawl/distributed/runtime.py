"""The distributed side of one worker process, shared by its scheduler, dupefilter, rate
limiter, claim pipeline and run extension (Scrapy builds each on its own; they meet here)."""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

import redis
from scrapy.crawler import Crawler

from newscrawl.config import NewscrawlConfig
from newscrawl.distributed.config import DistributedConfig, RunKeys
from newscrawl.distributed.lease import LeaseBook
from newscrawl.redis_connection import open_redis
from newscrawl.runs.run_id import new_run_id


@dataclass(eq=False)
class WorkerRuntime:
    config: DistributedConfig
    server: redis.Redis
    book: LeaseBook
    # Redis stayed unreachable past the outage timeout: the worker is stopping, and nothing
    # waits for Redis again (each wait would hold the stop up by the whole timeout).
    lost: bool = False

    @property
    def keys(self) -> RunKeys:
        return self.book.keys

    @property
    def worker(self) -> str:
        return self.config.worker


_RUNTIMES: WeakKeyDictionary[Crawler, WorkerRuntime] = WeakKeyDictionary()


def distributed_config(crawler: Crawler) -> DistributedConfig | None:
    run_id = new_run_id(NewscrawlConfig.from_settings(crawler.settings).run_id)
    return DistributedConfig.from_settings(crawler.settings, run_id)


def runtime_for(crawler: Crawler) -> WorkerRuntime:
    """This crawler's runtime, opened on first use (raises when Redis is not configured)."""
    runtime = _RUNTIMES.get(crawler)
    if runtime is None:
        config = distributed_config(crawler)
        if config is None:
            raise RuntimeError("NEWSCRAWL_REDIS_URL is not set: no distributed crawl")
        server = open_redis(config.redis_url, config.outage_timeout, "frontier")
        server.ping()  # now: an unreachable Redis must stop the worker before it crawls
        runtime = WorkerRuntime(config, server, LeaseBook(server, config.keys, config.worker))
        _RUNTIMES[crawler] = runtime
    return runtime
