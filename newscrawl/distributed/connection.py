"""One way to open Redis for every part of the distributed crawl.

A Redis that restarts (or a network blip) must pause the crawl, not lose a request: every
command is retried with capped exponential backoff for up to ``outage_timeout`` seconds, on
the event loop (the crawl stands still meanwhile, which is the point). Past that the command
raises ``redis.ConnectionError`` and the caller fails the crawl with a clear reason. Scripts
are sent by SHA and reloaded by redis-py when a restarted server no longer has them.
"""

from __future__ import annotations

import math
from typing import Final

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


def open_redis(url: str, outage_timeout: float) -> redis.Redis:
    """A client for ``url`` that waits out an outage of ``outage_timeout`` seconds."""
    return redis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=5,
        retry=Retry(ExponentialBackoff(cap=BACKOFF_CAP, base=BACKOFF_BASE),
                    retries_for(outage_timeout)),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError],
        health_check_interval=0,
    )
