"""The distributed side of one worker process, shared by its scheduler, dupefilter, rate
limiter, claim pipeline and run extension (Scrapy builds each on its own; they meet here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from weakref import WeakKeyDictionary

import redis
from scrapy import Request
from scrapy.crawler import Crawler

from newscrawl.config import NewscrawlConfig
from newscrawl.distributed.config import DistributedConfig, RunKeys
from newscrawl.distributed.lease import LeaseBook
from newscrawl.redis_connection import open_redis, refuse_cluster
from newscrawl.runs.run_id import new_run_id


@dataclass(eq=False)
class WorkerRuntime:
    config: DistributedConfig
    server: redis.Redis
    book: LeaseBook
    # Redis stayed unreachable past the outage timeout: the worker is stopping, and nothing
    # waits for Redis again (each wait would hold the stop up by the whole timeout).
    lost: bool = False
    # The shared politeness budget is enforced (``SharedRateLimitMiddleware`` is on): the
    # scheduler then pops no request while one waits for it.
    budgeted: bool = False

    @property
    def keys(self) -> RunKeys:
        return self.book.keys

    @property
    def worker(self) -> str:
        return self.config.worker


# Set in a request's meta once the shared politeness budget let it go (``rate_limit``).
SENT_META: Final = "newscrawl_budget_granted"


def waits_for_budget(crawler: Crawler) -> bool:
    """Whether a request this worker popped still waits for the shared politeness budget.

    While one does, the worker pops no more: every request it popped would only wait in this
    process, leased, while another worker could send it (one worker took every request of a
    crawl, holding 16 that the budget let go one by one)."""
    engine = crawler.engine
    if engine is None:
        return False
    active: set[Request] = engine.downloader.active
    return any(not request.meta.get(SENT_META) for request in active)


def waits_in_slot(crawler: Crawler) -> bool:
    """Whether a request this worker popped waits in a download slot's queue for a free
    transfer slot.

    While one does, the worker pops no more: a slot's queue is first in, first out, so a
    listing page popped there waited behind the story pages popped before it (~0.4 s a hop at
    200 ms of latency, 4 listing walks capped the crawl), leased to this worker where no other
    could take it. Left in Redis, it keeps its place: by priority, then newest first."""
    engine = crawler.engine
    if engine is None:
        return False
    return any(slot.queue for slot in engine.downloader.slots.values())


def wake(crawler: Crawler) -> None:
    """Let the engine ask the scheduler for a request again now, not at its next heartbeat."""
    slot = getattr(crawler.engine, "_slot", None)
    if slot is not None and slot.closing is None:
        slot.nextcall.schedule()


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
        # Now: an unreachable Redis, or a cluster, must stop the worker before it crawls.
        refuse_cluster(server, "NEWSCRAWL_REDIS_URL")
        runtime = WorkerRuntime(config, server, LeaseBook(server, config.keys, config.worker))
        _RUNTIMES[crawler] = runtime
    return runtime
