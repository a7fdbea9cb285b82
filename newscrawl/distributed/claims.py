"""RunClaimPipeline: a story goes into one worker's feed per run, whichever worker fetched it.

The dupefilter already gives each URL to one worker. A story can still reach two: through two
URLs that land on it (a redirect), through a request that skips the dupefilter (a long story's
continuation page: a killed worker's first page, fetched again, queues it a second time), or
when a worker's leases were put back because its heartbeat lapsed while it still worked. The
first worker whose copy gets here claims it in Redis; another worker drops its copy
(``newscrawl/dedupe/other_worker``) unless the claimant is dead: then its feed is never
published and the claim passes on, so the story is not lost.

For the claim to pass on, the page must come back to whoever leases it as if new: so the claim
is made before the pipelines that remember what this worker emitted in the run
(``CLAIM_ORDER``). Were a dropped copy remembered there, the dead claimant's page, leased to
the worker that dropped it, would be dropped again as "already emitted in this run".
"""

from __future__ import annotations

import logging
from typing import Any, Final, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.distributed.runtime import WorkerRuntime, runtime_for
from newscrawl.items import StoryItem

logger = logging.getLogger(__name__)

OTHER_WORKER: Final = "newscrawl/dedupe/other_worker"

# KEYS: claims hash. ARGV: story id, me, prefix. Returns the holder after the claim.
_CLAIM: Final = """
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if holder and holder ~= ARGV[2]
   and redis.call('EXISTS', ARGV[3] .. ':alive:' .. holder) == 1 then
  return holder
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
"""


class RunClaimPipeline:
    def __init__(self, runtime: WorkerRuntime, stats: StatsCollector) -> None:
        self.runtime = runtime
        self.stats = stats
        self._claim = runtime.server.register_script(_CLAIM)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(runtime_for(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StoryItem):
            return item
        if self.runtime.lost:
            raise DropItem(f"Redis is lost: {item.url} is left to a resumed run")
        keys = self.runtime.keys
        holder = self._claim(keys=[keys.claims],
                             args=[item.id, self.runtime.worker, keys.prefix])
        if isinstance(holder, bytes):
            holder = holder.decode()
        if holder != self.runtime.worker:
            self.stats.inc_value(OTHER_WORKER)
            raise DropItem(f"worker {holder} emits {item.url} in this run", log_level="INFO")
        return item
