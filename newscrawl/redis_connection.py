"""One way to open Redis for every part of the distributed crawl.

A Redis that restarts (or a network blip) must pause the crawl, not lose a request: every
command is retried with capped exponential backoff for up to ``outage_timeout`` seconds, on
the event loop (the crawl stands still meanwhile, which is the point). Past that the command
raises ``redis.ConnectionError`` and the caller fails the crawl with a clear reason. Scripts
are sent by SHA and reloaded by redis-py when a restarted server no longer has them.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Final, cast

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

BACKOFF_CAP: Final = 2.0
BACKOFF_BASE: Final = 0.05
SOCKET_TIMEOUT: Final = 30.0


def retries_for(outage_timeout: float) -> int:
    """Attempts whose capped backoff adds up to about ``outage_timeout`` seconds."""
    waited, attempts = 0.0, 0
    while waited < outage_timeout:
        waited += min(BACKOFF_CAP, BACKOFF_BASE * 2**attempts)
        attempts += 1
    return max(attempts, 1) if not math.isinf(outage_timeout) else 1_000_000


# Round trips to Redis made by this process, per purpose ("frontier", "state", "heartbeat"):
# what the distributed crawl costs per page (a pipeline counts once, as it is one trip).
ROUND_TRIPS: Final[Counter[str]] = Counter()


class CountingRedis(redis.Redis):
    purpose = "other"

    def execute_command(self, *args: Any, **options: Any) -> Any:
        ROUND_TRIPS[self.purpose] += 1
        return super().execute_command(*args, **options)  # type: ignore[no-untyped-call]

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        ROUND_TRIPS[self.purpose] += 1
        return super().pipeline(transaction, shard_hint)


def open_redis(url: str, outage_timeout: float, purpose: str = "other") -> redis.Redis:
    """A client for ``url`` that waits out an outage of ``outage_timeout`` seconds."""
    client = cast(CountingRedis, CountingRedis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=5,
        retry=Retry(ExponentialBackoff(cap=BACKOFF_CAP, base=BACKOFF_BASE),
                    retries_for(outage_timeout)),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError],
        health_check_interval=0,
    ))
    client.purpose = purpose
    return client


class ClusterUnsupportedError(redis.RedisError):
    """The URL names a Redis Cluster node: the crawl's scripts need one server."""


def refuse_cluster(client: redis.Redis, url: str) -> None:
    """Raise ``ClusterUnsupportedError`` when ``client`` talks to a Redis Cluster node.

    The crawl's Lua scripts build key names inside (see ``newscrawl.state.redis_scripts``):
    atomic on one server, keys of other slots on a cluster. Said at open, not mid-commit."""
    info: Any = client.info("cluster")
    if int(info.get("cluster_enabled", 0)):
        raise ClusterUnsupportedError(
            f"{url} is a Redis Cluster node: newscrawl needs one Redis server (replicas are "
            "fine), as its scripts touch keys they cannot declare")
