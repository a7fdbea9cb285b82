"""Settings that depend on a run's arguments, applied in ``from_crawler`` (Scrapy >= 2.11 freezes
the settings only after the spider is built, in ``Crawler._apply_settings``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from scrapy.settings import Settings

from newscrawl import rendering
from newscrawl.browser import find_browser
from newscrawl.config import NewscrawlConfig
from newscrawl.distributed.settings import apply_distributed_settings
from newscrawl.runs.run_id import new_run_id
from newscrawl.spiders.arguments import ArgumentError, SpiderArguments
from newscrawl.spiders.feeds import route_feeds
from newscrawl.urls import SITE_ORIGIN

logger = logging.getLogger(__name__)

# Against a replica on this machine there is no one to be polite to.
LOOPBACK_LIMITS: Final = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


@dataclass(frozen=True, slots=True)
class RunSetup:
    run_id: str
    renders: bool  # a browser was found and the run may use it


def fit_run_settings(settings: Settings, args: SpiderArguments) -> RunSetup:
    """Lift the polite limits for a loopback replica, fit the browser settings, route feeds.

    Set at "spider" priority, so ``-s NAME=VALUE`` on the command line still wins.
    """
    config = NewscrawlConfig.from_settings(settings)
    if args.on_loopback:
        for name, value in LOOPBACK_LIMITS.items():
            settings.set(name, value, priority="spider")
    browser = find_browser(config.browser_path) if args.render != "never" else None
    if args.render == "always" and browser is None:
        raise ArgumentError("render='always' needs a browser and none was found")
    if args.render == "auto" and browser is None:
        logger.warning('no browser found: crawling without the "Others Also Read" lists')
    rendering.configure(settings, enabled=browser is not None,
                        scheme=urlsplit(args.base_url or SITE_ORIGIN).scheme,
                        executable=browser, extra_args=config.browser_args,
                        max_pages=config.max_render_pages)
    route_feeds(settings, config.data_dir)
    run_id = new_run_id(config.run_id)
    # NEWSCRAWL_REDIS_URL: this crawl is one worker of a shared one (newscrawl.distributed).
    apply_distributed_settings(settings, run_id)
    return RunSetup(run_id=run_id, renders=browser is not None)
