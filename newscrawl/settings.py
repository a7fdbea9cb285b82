"""Scrapy settings of newscrawl: polite defaults for the live site.

``scrapy crawl aseanplus -a base_url=http://127.0.0.1:PORT`` (a replica) lifts the polite
limits, and the spider fits the browser settings to the run (see ``TheStarSpider.from_crawler``).
Project settings are named ``NEWSCRAWL_*`` and read once into ``newscrawl.config.NewscrawlConfig``.
"""

from __future__ import annotations

import os

from scrapy.settings import default_settings as scrapy_defaults

from newscrawl import __version__, rendering
from newscrawl.browser import find_browser
from newscrawl.config import DEFAULT_DATA_DIR
from newscrawl.items import RECORD_FIELDS
from newscrawl.spiders.feeds import default_feeds

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# `scrapy crawl` and `scrapy parse` check the spider's -a arguments before Scrapy starts up;
# `scrapy crawl` exits 1 with the reason when the crawl failed (newscrawl.commands.crawl).
COMMANDS_MODULE = "newscrawl.commands"

# --- politeness (the live site) -------------------------------------------------------------
USER_AGENT = f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False  # nothing the crawl reads depends on a session
# Scrapy starts this many asyncio tasks (plus one to feed them) for the output of every
# response, each created, run and torn down even when the response yields one record. The
# item pipelines are all synchronous, so a second worker never runs alongside the first: the
# workers only take turns. A story page yields its record and a request or two, a listing page
# a dozen requests; 4 workers cost ~0.1 ms a response against ~0.25 ms for 16 and ~1.2 ms for
# the default 100 (bench/bench_output_tasks.py), while 1 makes a dozen outputs wait on a queue
# of 2. Raise it only with a pipeline that awaits I/O.
CONCURRENT_ITEMS = 4

# Scrapy checks every callback for a generator with ``return value`` by reading its source and
# parsing it (inspect.getsource + ast.parse), cached per callable: a bound method is a new
# callable per request (``spider.parse_listing``), so every listing page paid ~2 ms of CPU for
# it (bench_callback_check.py). A development aid: tests/e2e/test_callback_returns.py runs the
# same check on every generator of the spider glue instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Scrapy's collector without its per-attribute deprecation wrapper (the module says why).
STATS_CLASS = "newscrawl.extensions.stats_collector.DirectStatsCollector"
# Scrapy's log lines; its per-page DEBUG ones are not built at a level that drops them (the
# module says why).
LOG_FORMATTER = "newscrawl.log_formatter.LevelAwareLogFormatter"

# --- robustness -------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# A story page is ~100 KB; anything near these sizes is not one.
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 1024 * 1024

# --- safety: no remote code execution endpoint, no telnet shell -------------------------------
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy imports every component its lists name before the component's own setting turns it
# off, and a ``None`` in EXTENSIONS or DOWNLOADER_MIDDLEWARES is imported too (to resolve the
# name): the remote control's module alone loads aiohttp's web server (~0.2-0.7 CPU-s of every
# crawl, by load), the cookies middleware tldextract (~0.1 s). So these are left out of Scrapy's
# base lists, where they are never imported, and -s cannot turn them on: cookies would need
# their middleware listed again as well as COOKIES_ENABLED.
NEVER_LOADED = frozenset({
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
})
EXTENSIONS_BASE = {path: order for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
                   if path not in NEVER_LOADED}
DOWNLOADER_MIDDLEWARES_BASE = {
    path: order for path, order in scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
    if path not in NEVER_LOADED
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- output -----------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(RECORD_FIELDS)
FEED_URI_PARAMS = "newscrawl.spiders.feeds.run_uri_params"
# Scrapy's JSON Lines, the same bytes, with a direct path for story records (the module says why).
FEED_EXPORTERS = {"jsonlines": "newscrawl.feeds.exporter.RecordJsonLinesExporter"}
# Stories and quarantined pages, split by item class; NEWSCRAWL_DATA_DIR moves both.
FEEDS = default_feeds(DEFAULT_DATA_DIR)

# Clean, validate, quarantine, dedupe, version (newscrawl/pipelines/__init__.py says why this
# order); the one wiring of the pipelines, which tests use too.
ITEM_PIPELINES = {
    "newscrawl.pipelines.clean.CleanPipeline": 100,
    "newscrawl.pipelines.validate.ValidatePipeline": 200,
    "newscrawl.pipelines.quarantine.QuarantinePipeline": 300,
    "newscrawl.pipelines.dedupe.DedupePipeline": 400,
    "newscrawl.pipelines.version.VersionPipeline": 500,
}
# Published by rename when complete: readers never see a truncated feed of a killed run.
FEED_STORAGES = {
    "": "newscrawl.feeds.storage.AtomicFileFeedStorage",
    "file": "newscrawl.feeds.storage.AtomicFileFeedStorage",
}

# --- state between runs -----------------------------------------------------------------------
# Cron jobs and systemd units set paths through the environment as well as through -s.
NEWSCRAWL_STATE = os.environ.get("NEWSCRAWL_STATE") or None
NEWSCRAWL_DATA_DIR = os.environ.get("NEWSCRAWL_DATA_DIR") or None
# Incremental runs fetch only the stories the state does not hold, plus those published within
# NEWSCRAWL_REVISIT_DAYS (default 2) of NEWSCRAWL_NOW (ISO datetime; default: the clock), to
# catch their edits. Tests pin NEWSCRAWL_NOW because the replica's stories are dated in the past.
# Stories met and not published stay pending and are retried first by later runs (backoff 1, 2,
# 4, 8 runs), given up after NEWSCRAWL_PENDING_GIVE_UP_RUNS (default 5) failed runs; a run may
# leave up to NEWSCRAWL_MAX_NEW_PENDING (default 10) new ones and stay healthy
# (newscrawl/state/pending.py).

DOWNLOADER_MIDDLEWARES = {
    # Above RedirectMiddleware (600) and MetaRefreshMiddleware (580), so a redirect or a meta
    # refresh to another origin reaches the errback; its process_request guards every request.
    "newscrawl.middlewares.OriginGuardMiddleware": 650,
    # Above RetryMiddleware (550): reads a 429/503's Retry-After before the retry is made.
    "newscrawl.retry_after.RetryAfterMiddleware": 560,
    # Scrapy's, in its place, reading a meta refresh only where the page's head can hold one.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.meta_refresh.MetaRefreshMiddleware": 580,
}
# NEWSCRAWL_RETRY_AFTER_MAX (seconds, default 120) caps how long a host's Retry-After is obeyed.
EXTENSIONS = {
    # First: a data directory the run cannot write stops it before the state is opened.
    "newscrawl.extensions.storage_check.StorageCheckExtension": 1,
    # The run lock, before anything reads or writes the state (newscrawl run passes its own).
    "newscrawl.extensions.run_lock.RunLockExtension": 10,
    # Marks stories seen only once the feed holding them is stored (crash safety).
    "newscrawl.state.commit.StateCommitExtension": 100,
    # What the run leaves pending, in the stats before the monitors read them.
    "newscrawl.extensions.pending_stories.PendingStoriesExtension": 150,
    # A crawl that could not reach the site fails (exit 1, newscrawl.commands.crawl).
    "newscrawl.crawl_failure.CrawlFailureExtension": 160,
    "newscrawl.monitors.tally.StoryTallyExtension": 100,
    # Counts redirects the duplicate filter swallows (newscrawl/dropped/redirect-*).
    "newscrawl.spiders.dropped.DroppedRedirectExtension": 100,
    "newscrawl.extensions.stats_dump.StatsDumpExtension": 500,
    # Freezes start-up objects out of the garbage collector's walks (NEWSCRAWL_GC_FREEZE).
    "newscrawl.extensions.gc_tuning.GcTuningExtension": 0,
    # After CoreStats, so finish_reason is set when the monitors read it.
    "spidermon.contrib.scrapy.extensions.Spidermon": 510,
    "newscrawl.runner.manifest_writer.ManifestWriter": 520,
    # Progress lines; off unless NEWSCRAWL_PROGRESS_INTERVAL > 0.
    "newscrawl.runner.progress_log.ProgressLogExtension": 530,
    # "0 new stories: N known …" at the end of a run that published nothing new.
    "newscrawl.extensions.nothing_new.NothingNewExtension": 540,
}

# --- monitors (spidermon) ---------------------------------------------------------------------
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["newscrawl.monitors.suite.CrawlHealthMonitorSuite"]

# --- browser (scrapy-playwright) --------------------------------------------------------------
# Requests without meta["playwright"] still go over plain HTTP through these handlers.
DOWNLOAD_HANDLERS = {
    "http": rendering.PLAYWRIGHT_HANDLER,
    "https": rendering.PLAYWRIGHT_HANDLER,
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = rendering.launch_options(find_browser())
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4  # NEWSCRAWL_MAX_RENDER_PAGES overrides it per run
PLAYWRIGHT_ABORT_REQUEST = "newscrawl.rendering.should_abort_request"
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = rendering.NAVIGATION_TIMEOUT_MS
# A browser that died is not relaunched: the spider stops rendering instead. On Ctrl-C the
# whole process group gets the signal, Chromium dies first, and a relaunch in the middle of
# the graceful stop made it last ~5 s instead of ~1 s (measured, 200-article replica).
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = False

LOG_LEVEL = "INFO"
