"""DistributedRunExtension: a worker's life in the shared crawl.

- **Start**: registered as alive and busy, heartbeat thread started.
- **Idle**: scrapy-redis closed a worker as soon as the shared queue was momentarily empty, and
  idle workers looked again every 5 s. Here an idle worker marks itself idle and looks at the
  whole crawl every ``POLL_SECONDS``: it closes only after ``idle_checks`` consecutive looks
  found the queue empty and every live worker idle (a busy worker may still push links; a dead
  worker's leases are put back first, so they count as queued work).
- **Closed**: a section's listing walk is complete for the run when any worker completed it
  (the walk hops between workers with the listing pages).
- **Published**: once the feeds are stored (``feed_exporter_closed``, after the state commit),
  the worker's leases are released and it leaves; a failed feed keeps them, so the pages go
  back to the queue when the heartbeat lapses. The last worker of a finished run removes the
  run's keys unless ``SCHEDULER_PERSIST`` keeps them, and marks the crawl finished for a day.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final, Self

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.statscollectors import StatsCollector

from newscrawl.distributed.config import FINISHED_TTL
from newscrawl.distributed.lease import Heartbeat
from newscrawl.distributed.runtime import WorkerRuntime, runtime_for, wake
from newscrawl.distributed.scheduler import REDIS_UNAVAILABLE
from newscrawl.redis_connection import ROUND_TRIPS
from newscrawl.state.crawl import CrawlState, crawl_state_for

logger = logging.getLogger(__name__)

POLL_SECONDS: Final = 0.5
STATS_PREFIX: Final = "newscrawl/redis"


class DistributedRunExtension:
    def __init__(self, crawler: Crawler, runtime: WorkerRuntime, state: CrawlState,
                 stats: StatsCollector) -> None:
        self.crawler = crawler
        self.runtime = runtime
        self.state = state
        self.stats = stats
        self.heartbeat = Heartbeat(runtime.server, runtime.book, runtime.config.lease_ttl)
        self._quiet_looks = 0
        self._nudge_pending = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        extension = cls(crawler, runtime_for(crawler), crawl_state_for(crawler), crawler.stats)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.spider_idle, signal=signals.spider_idle)
        connect(extension.spider_closed, signal=signals.spider_closed)
        connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        config = self.runtime.config
        self.runtime.book.register(config.lease_ttl)
        self.heartbeat.start()
        self.stats.set_value(f"{STATS_PREFIX}/worker", self.runtime.worker)
        logger.info("worker %s joined crawl %s on %s", self.runtime.worker, config.crawl_id,
                    _safe_url(config.redis_url))

    def spider_idle(self) -> None:
        try:
            look = self.runtime.book.look(idle=True)
        except redis.RedisError as error:
            # Without this the engine would close the spider as "finished".
            logger.critical("Redis unreachable past the outage timeout (%s): worker stops",
                            error)
            self.runtime.lost = True
            raise CloseSpider(REDIS_UNAVAILABLE) from error
        if look.requeued:
            self.stats.inc_value(f"{STATS_PREFIX}/requeued", look.requeued)
            logger.warning("%d leases of %d dead workers returned to the queue",
                           look.requeued, look.dead_workers)
        self._share_walks(learn=False)
        self._quiet_looks = self._quiet_looks + 1 if look.quiet else 0
        if self._quiet_looks >= self.runtime.config.idle_checks:
            logger.info("queue empty and every worker idle: worker %s closes",
                        self.runtime.worker)
            return
        self._nudge()
        raise DontCloseSpider

    def _nudge(self) -> None:
        """Look again soon: the engine's own heartbeat would wait 5 s."""
        if self._nudge_pending:
            return
        self._nudge_pending = True

        def again() -> None:
            self._nudge_pending = False
            wake(self.crawler)

        asyncio.get_event_loop().call_later(POLL_SECONDS, again)

    def spider_closed(self, reason: str) -> None:
        # Here, not at engine_stopped: the stats are dumped when the spider closes.
        if self.heartbeat.requeued:
            self.stats.inc_value(f"{STATS_PREFIX}/requeued", self.heartbeat.requeued)
        self.stats.set_value(f"{STATS_PREFIX}/heartbeat_failures", self.heartbeat.failures)
        for purpose, trips in ROUND_TRIPS.items():
            self.stats.set_value(f"{STATS_PREFIX}/round_trips/{purpose}", trips)
        if reason == REDIS_UNAVAILABLE:
            return
        self._share_walks(learn=True)

    def _share_walks(self, *, learn: bool) -> None:
        """Tell the other workers which sections' walks this one completed; with ``learn``,
        take theirs too (a walk hops between workers with the listing pages)."""
        server, key = self.runtime.server, self.runtime.keys.walk_complete
        done = [section for section, complete in self.state.walks.items() if complete]
        if done:
            server.sadd(key, *done)
        if not learn:
            return
        for member in server.smembers(key):
            section = member.decode() if isinstance(member, bytes) else str(member)
            if section in self.state.walks:
                self.state.walked(section)

    def feed_exporter_closed(self) -> None:
        try:
            self._release()
        except redis.RedisError as error:
            logger.error("leases not released (%s): this worker's pages go back to the queue "
                         "when its heartbeat lapses, for a resumed run", error)

    def _release(self) -> None:
        if self.runtime.lost:
            logger.error("Redis was lost: this worker's leased pages stay leased, for a "
                         "resumed run")
            return
        failed = {k: v for k, v in self.stats.get_stats().items()
                  if k.startswith("feedexport/failed_count/") and v}
        held = self.runtime.book.held()
        self.stats.set_value(f"{STATS_PREFIX}/leases", held)
        if self.stats.get_value("finish_reason") == REDIS_UNAVAILABLE:
            logger.error("Redis was lost: %d leased pages stay leased, for a resumed run", held)
            return
        if failed:
            logger.error("feeds not stored (%s): %d leased pages go back to the queue when "
                         "this worker's heartbeat lapses", failed, held)
            return
        # The heartbeat first: leaving deletes the key it would find lapsed.
        self.heartbeat.stop()
        self.heartbeat.join(timeout=self.runtime.config.lease_ttl)
        departure = self.runtime.book.leave()
        logger.info("worker %s published its feed and released %d leases; %d workers left",
                    self.runtime.worker, departure.released, departure.workers_left)
        reason = self.stats.get_value("finish_reason")
        if (departure.workers_left == 0 and departure.queued == 0 and reason == "finished"
                and not self.runtime.config.keep_keys):
            self._remove_run_keys()

    def _remove_run_keys(self) -> None:
        server, keys = self.runtime.server, self.runtime.keys
        # First: a worker that starts now finds the crawl finished, not an empty frontier.
        server.set(keys.finished, "1", ex=FINISHED_TTL)
        removed = 0
        for key in server.scan_iter(match=f"{keys.prefix}:*", count=500):
            if key.decode() != keys.finished:
                removed += int(server.delete(key))
        logger.info("crawl %s finished: its %d Redis keys removed", self.runtime.config.crawl_id,
                    removed)

    def engine_stopped(self) -> None:
        self.heartbeat.stop()


def _safe_url(url: str) -> str:
    """The URL without a password, for the log."""
    head, sep, tail = url.partition("@")
    return f"{head.split('://')[0]}://…@{tail}" if sep else url


