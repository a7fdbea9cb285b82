"""Settings that depend on a run's arguments, applied in ``from_crawler`` (Scrapy >= 2.11 freezes
the settings only after the spider is built, in ``Crawler._apply_settings``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from scrapy.settings import Settings

from newscrawl import rendering
from newscrawl.browser import find_browser, is_headless_shell
from newscrawl.browser_policy import BrowserPolicy
from newscrawl.config import NewscrawlConfig
from newscrawl.distributed.settings import apply_distributed_settings
from newscrawl.runs.run_id import new_run_id
from newscrawl.spiders.arguments import ArgumentError, SpiderArguments
from newscrawl.spiders.feeds import route_feeds
from newscrawl.spiders.others_list import LIST_SLOT
from newscrawl.urls import SITE_ORIGIN

logger = logging.getLogger(__name__)

# Against a replica on this machine there is no one to be polite to.
LOOPBACK_LIMITS: Final = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}

LIST_SLOT_LIMITS: Final = {"concurrency": 32, "delay": 0}


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
        # The lists' plain requests have a slot of their own on a replica (others_list.py),
        # and a recommendation service answers slowly: enough of them in flight to keep up.
        slots = {**settings.getdict("DOWNLOAD_SLOTS"), LIST_SLOT: LIST_SLOT_LIMITS}
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        settings.set("CONCURRENT_REQUESTS", LOOPBACK_LIMITS["CONCURRENT_REQUESTS"]
                     + LIST_SLOT_LIMITS["concurrency"], priority="spider")
    browser = find_browser(config.browser_path) if args.render != "never" else None
    if args.render == "always" and browser is None:
        raise ArgumentError("render='always' needs a browser and none was found")
    if args.render == "auto" and browser is None:
        logger.warning('no browser found: crawling without the "Others Also Read" lists')
    if browser is not None:
        # Full Chromium costs several times a headless shell's CPU per render (newscrawl.browser).
        logger.info("rendering with %s (%s)", browser,
                    "headless shell" if is_headless_shell(browser) else "full Chromium")
    rendering.configure(settings, enabled=browser is not None,
                        scheme=urlsplit(args.base_url or SITE_ORIGIN).scheme,
                        executable=browser, extra_args=config.browser_args,
                        max_pages=config.max_render_pages,
                        policy=BrowserPolicy(config.browser_allow_hosts,
                                             config.browser_deny_hosts))
    route_feeds(settings, config.data_dir)
    run_id = new_run_id(config.run_id)
    # NEWSCRAWL_REDIS_URL: this crawl is one worker of a shared one (newscrawl.distributed).
    apply_distributed_settings(settings, run_id)
    return RunSetup(run_id=run_id, renders=browser is not None)
