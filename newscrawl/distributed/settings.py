"""The one switch: with ``NEWSCRAWL_REDIS_URL`` set, a crawl becomes a worker of a shared crawl.

Applied in the spider's ``from_crawler`` (settings are still mutable there), at "spider"
priority so ``-s`` on the command line still wins. scrapy-redis's own scheduler and dupefilter
classes are replaced by the subclasses in ``scheduler`` (Scrapy's ``DUPEFILTER_CLASS`` left in
place crashed the crawl with exit 0), and the pieces it lacks are added.
"""

from __future__ import annotations

from typing import Final

from scrapy.settings import Settings

from newscrawl.distributed.config import DistributedConfig
from newscrawl.distributed.scheduler import LeasedScheduler, ProjectFingerprintDupeFilter

RATE_LIMIT_MIDDLEWARE: Final = "newscrawl.distributed.rate_limit.SharedRateLimitMiddleware"
CLAIM_PIPELINE: Final = "newscrawl.distributed.claims.RunClaimPipeline"
PROJECT_DEDUPE: Final = "newscrawl.pipelines.dedupe.DedupePipeline"
# The same decisions made alike by every worker (one history of the run, in Redis).
SHARED_DEDUPE: Final = "newscrawl.distributed.dedupe.SharedDedupePipeline"
RUN_EXTENSION: Final = "newscrawl.distributed.extension.DistributedRunExtension"
# Closest to the downloader: a reservation is made right before the request goes out, after
# retries and redirects have produced it, and freed first when its answer comes back.
RATE_LIMIT_ORDER: Final = 950
# Before DedupePipeline (400) and VersionPipeline (500), which remember the stories this worker
# emitted in the run: a copy dropped for another worker must leave no trace there, or the page
# that comes back to the queue when that worker dies, leased to this one, is dropped again as
# "already emitted" and the story is in no feed (see ``claims``). After the pipelines that drop
# a page for what it holds (cleaning, validation, quarantine): every worker drops it alike.
CLAIM_ORDER: Final = 350
# After StateCommitExtension (100): leases are released once the feed is committed.
RUN_EXTENSION_ORDER: Final = 150


def apply_distributed_settings(settings: Settings, run_id: str) -> DistributedConfig | None:
    """Switch the crawl to the shared scheduler when ``NEWSCRAWL_REDIS_URL`` is set."""
    config = DistributedConfig.from_settings(settings, run_id)
    if config is None:
        return None
    priority = "spider"
    settings.set("SCHEDULER", _dotted(LeasedScheduler), priority=priority)
    settings.set("DUPEFILTER_CLASS", _dotted(ProjectFingerprintDupeFilter), priority=priority)
    settings.set("REDIS_URL", config.redis_url, priority=priority)
    _add(settings, "DOWNLOADER_MIDDLEWARES", RATE_LIMIT_MIDDLEWARE, RATE_LIMIT_ORDER)
    _add(settings, "ITEM_PIPELINES", CLAIM_PIPELINE, CLAIM_ORDER)
    _replace(settings, "ITEM_PIPELINES", PROJECT_DEDUPE, SHARED_DEDUPE)
    _add(settings, "EXTENSIONS", RUN_EXTENSION, RUN_EXTENSION_ORDER)
    return config


def _add(settings: Settings, name: str, component: str, order: int) -> None:
    components = dict(settings.getdict(name))
    components.setdefault(component, order)
    settings.set(name, components, priority=max(settings.getpriority(name) or 0, 30))


def _replace(settings: Settings, name: str, component: str, by: str) -> None:
    components = dict(settings.getdict(name))
    if component in components:
        components[by] = components.pop(component)
        settings.set(name, components, priority=max(settings.getpriority(name) or 0, 30))


def _dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
