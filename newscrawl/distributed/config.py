"""The distributed crawl's settings (``NEWSCRAWL_REDIS_*``), read once into a typed config.

Kept beside the code that uses them: a single-process crawl never reads them.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from dataclasses import dataclass
from typing import Final

from newscrawl.config import ConfigError, SettingsLike, number_setting

# What a worker's name and a crawl id may hold: they become parts of Redis keys and file names.
_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
KEY_ROOT: Final = "newscrawl"
# How long a finished crawl id stays finished: a worker of that crawl that starts late (a slow
# start, another machine's timer) leaves without crawling, instead of crawling it all again.
FINISHED_TTL: Final = 86_400
# Stats key: requests that could not be queued in Redis (the run is degraded, never silent).
UNQUEUED: Final = "newscrawl/redis/unqueued"


@dataclass(frozen=True, slots=True)
class RunKeys:
    """The Redis keys of one crawl (one run id): a new run starts empty, a resumed one reuses
    them. Every key starts with ``prefix`` so a finished run is removed by pattern."""

    prefix: str

    @property
    def requests(self) -> str:
        return f"{self.prefix}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:dupefilter"

    @property
    def workers(self) -> str:
        """Hash: worker -> "1" when idle, "0" when it holds work (or has not been idle yet)."""
        return f"{self.prefix}:workers"

    def leases(self, worker: str) -> str:
        return f"{self.prefix}:leases:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    @property
    def sequence(self) -> str:
        """Counter of queued requests: the queue's order among requests of one priority."""
        return f"{self.prefix}:sequence"

    @property
    def claims(self) -> str:
        """Hash: story id -> the worker that emits it in this run."""
        return f"{self.prefix}:claims"

    @property
    def walk_complete(self) -> str:
        """Set: keys of the sections whose listing walk a worker of this run completed."""
        return f"{self.prefix}:walks-complete"

    @property
    def finished(self) -> str:
        """Set when the last worker of a finished run removed its keys (see ``FINISHED_TTL``)."""
        return f"{self.prefix}:finished"

    def rate(self, domain: str) -> str:
        """Politeness is per domain across runs too: two overlapping runs share one budget."""
        return f"{KEY_ROOT}:rate:{domain}"


@dataclass(frozen=True, slots=True)
class DistributedConfig:
    redis_url: str
    crawl_id: str  # the run the workers share (keys); each worker's own run id adds its name
    worker: str  # unique per process: a restarted worker never inherits a dead one's leases
    lease_ttl: float  # seconds without a heartbeat after which a worker counts as dead
    delay: float  # shared per-domain delay between request starts, all workers together
    concurrency: int  # shared per-domain requests in flight, all workers together
    outage_timeout: float  # how long a worker waits out an unreachable Redis before failing
    keep_keys: bool  # SCHEDULER_PERSIST: keep the frontier of a finished run
    idle_checks: int  # consecutive quiet checks (queue and every worker idle) before closing

    @property
    def keys(self) -> RunKeys:
        return RunKeys(f"{KEY_ROOT}:run:{self.crawl_id}")

    @classmethod
    def from_settings(cls, settings: SettingsLike, run_id: str) -> DistributedConfig | None:
        """None when ``NEWSCRAWL_REDIS_URL`` is unset (a single-process crawl)."""
        url = redis_url(settings)
        if not url:
            return None
        if not str(url).startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(f"NEWSCRAWL_REDIS_URL={url!r} is not a redis:// URL")
        crawl_id = str(settings.get("NEWSCRAWL_CRAWL_ID") or run_id)
        name = str(settings.get("NEWSCRAWL_WORKER_NAME") or socket.gethostname())
        for setting, value in (("NEWSCRAWL_CRAWL_ID", crawl_id),
                               ("NEWSCRAWL_WORKER_NAME", name)):
            if not _NAME.match(value):
                raise ConfigError(f"{setting}={value!r}: use letters, digits, '.', '_', '-'")

        def number(setting: str, default: float, lo: float, hi: float) -> float:
            return number_setting(settings, setting, default, lo, hi)

        return cls(
            redis_url=str(url),
            crawl_id=crawl_id,
            worker=f"{name}.{os.getpid()}.{uuid.uuid4().hex[:6]}",
            lease_ttl=number("NEWSCRAWL_REDIS_LEASE_TTL", 15, 1, 3600),
            delay=number("NEWSCRAWL_REDIS_DELAY",
                         float(settings.get("DOWNLOAD_DELAY") or 0), 0, 3600),
            concurrency=int(number("NEWSCRAWL_REDIS_CONCURRENCY",
                                   int(settings.get("CONCURRENT_REQUESTS_PER_DOMAIN") or 8),
                                   1, 1000)),
            outage_timeout=number("NEWSCRAWL_REDIS_OUTAGE_TIMEOUT", 60, 0, 86400),
            keep_keys=str(settings.get("SCHEDULER_PERSIST", False)).lower()
            in ("1", "true", "yes", "on"),
            idle_checks=int(number("NEWSCRAWL_REDIS_IDLE_CHECKS", 3, 1, 100)),
        )


def redis_url(settings: SettingsLike) -> str | None:
    """``NEWSCRAWL_REDIS_URL`` (a setting, else the environment): set for a worker of a shared
    crawl, unset for a single-process crawl."""
    url = settings.get("NEWSCRAWL_REDIS_URL") or os.environ.get("NEWSCRAWL_REDIS_URL")
    return str(url) if url else None
