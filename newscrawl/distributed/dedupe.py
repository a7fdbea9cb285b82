"""SharedDedupePipeline: near-duplicate and exact-copy decisions that every worker makes alike.

A single process judges each story against those seen before it, in its order of arrival.
Workers share that order: before judging a story, a worker appends it (``LOG_FORMAT``, id,
content hash, the oldest stored story with that content hash, signature) to the run's log in
Redis and receives, in the same script, every entry the others appended since its last look.
It judges those first, in log order and exactly as their workers did (with the stored story
their worker found: no lookup of its own), then its own story against all that came before it.
So every worker holds the same history and the same verdicts: ``duplicate_of`` always names the
story first in the log (or stored before the run), whichever worker fetched which.

The ``DedupePipeline`` of the project at the same place in ``ITEM_PIPELINES`` when the crawl is
distributed (``apply_distributed_settings``); one more Redis round trip per story.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.distributed.runtime import WorkerRuntime, runtime_for
from newscrawl.fingerprint import MinHashSignature
from newscrawl.items import StoryItem
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.near_duplicates import Order
from newscrawl.state.crawl import crawl_state_for

logger = logging.getLogger(__name__)

# Sorts after every ISO timestamp: this run's stories come after all stored ones.
RUN_ORDER: Final = "~run"
_SEPARATOR: Final = b"\x1f"
# The first field of every log entry: the format of the five after it. The log outlives a
# worker (a resumed run reads what the workers before an upgrade wrote), so a worker reads only
# entries of its own format; any other (the unmarked entries of the first format among them)
# is counted and logged, never misread as a story (``UNREADABLE``).
LOG_FORMAT: Final = b"v2"
_FIELDS: Final = 5
UNREADABLE: Final = "newscrawl/dedupe/log_unreadable"

# KEYS: the log, its positions by entry token. ARGV: entry, this worker's cursor, the entry's
# token (worker and story). Returns the entries from the cursor to the new one (included): its
# position is cursor + #entries - 1. A call retried because its reply was lost (a Redis
# restart) finds its token and appends nothing: every worker keeps seeing one history.
_EXCHANGE: Final = """
local length = tonumber(redis.call('HGET', KEYS[2], ARGV[3]))
if not length then
  length = redis.call('RPUSH', KEYS[1], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[3], length)
end
return redis.call('LRANGE', KEYS[1], tonumber(ARGV[2]), length - 1)
"""


class SharedDedupePipeline(DedupePipeline):
    runtime: WorkerRuntime
    _exchange: Any
    _cursor: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        pipeline = cls(crawl_state_for(crawler), crawler.stats)
        pipeline.runtime = runtime_for(crawler)
        pipeline._exchange = pipeline.runtime.server.register_script(_EXCHANGE)
        pipeline._cursor = 0
        pipeline._run_start = RUN_ORDER
        return pipeline

    def process_item(self, item: Any) -> Any:
        if self.runtime.lost and isinstance(item, StoryItem):
            # Stopping without Redis: the page stays leased, and a resumed run fetches it.
            raise DropItem(f"Redis is lost: {item.url} is left to a resumed run")
        return super().process_item(item)

    def _run_order(self, story_id: str, digest: str, minhash: MinHashSignature,
                   same_content: Sequence[tuple[str, str]]) -> Order:
        # Only stories not stored before get here: they stand in the run's order. Every
        # stored story comes before the run's, so only the oldest can be the one copied.
        oldest = min(((first, sid) for sid, first in same_content), default=("", ""))
        entry = _SEPARATOR.join((LOG_FORMAT, story_id.encode(), digest.encode(),
                                 oldest[0].encode(),
                                 oldest[1].encode(), self._signer.to_bytes(minhash)))
        prefix = self.runtime.keys.prefix
        found: Any = self._exchange(keys=[f"{prefix}:dedupe-log", f"{prefix}:dedupe-at"],
                                    args=[entry, self._cursor,
                                          f"{self.runtime.worker}|{story_id}"])
        position = self._cursor + len(found) - 1
        for offset, raw in enumerate(found[:-1]):
            self._judge_other(bytes(raw), self._cursor + offset)
        self._cursor = position + 1
        return (RUN_ORDER, position)

    def _judge_other(self, raw: bytes, position: int) -> None:
        """Another worker's story, judged as that worker judged it (same log, same order)."""
        marker, _, fields = raw.partition(_SEPARATOR)
        parts = fields.split(_SEPARATOR, _FIELDS - 1)
        if marker != LOG_FORMAT or len(parts) != _FIELDS:
            self._unreadable(marker, position)
            return
        story_id_raw, digest_raw, first_raw, stored_raw, signature = parts
        story_id = story_id_raw.decode()
        stored = [(stored_raw.decode(), first_raw.decode())] if stored_raw else []
        minhash = self._signer.from_bytes(signature)
        if minhash is None or story_id in self._duplicate_of:
            return
        order: Order = (RUN_ORDER, position)
        self._others_duplicate_of[story_id] = self._judge(
            story_id, digest_raw.decode(), minhash, order, stored, counted=False)

    def _unreadable(self, marker: bytes, position: int) -> None:
        """An entry this worker cannot read: its story is not judged here, so this worker's
        verdicts may differ from its writer's. Said once in the log, counted every time."""
        if not self._stats.get_value(UNREADABLE):
            logger.error("shared dedupe log entry %d of crawl %s is not of format %s (it starts "
                         "%r: written by another version of newscrawl, in a run resumed across "
                         "an upgrade?); such entries are skipped and counted in %s", position,
                         self.runtime.config.crawl_id, LOG_FORMAT.decode(), marker[:16],
                         UNREADABLE)
        self._stats.inc_value(UNREADABLE)
