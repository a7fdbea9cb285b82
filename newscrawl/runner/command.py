"""``newscrawl run``: the command cron (or a systemd timer) calls. See ``RunController``."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any, Final

from newscrawl.cli_parser import usage_error
from newscrawl.config import ConfigError
from newscrawl.dataset.command import DEFAULT_DATA_DIR, default_data_dir
from newscrawl.extensions.storage_check import storage_error

DEFAULT_MAX_RUN_TIME: Final = 3600.0
DEFAULT_KILL_GRACE: Final = 30.0
# ``--option`` of this command -> the spider's ``-a`` argument.
SPIDER_OPTIONS: Final = (
    ("base_url", "--base-url", "URL", "origin to fetch the site from, e.g. a replica"),
    ("since", "--since", "YYYY-MM-DD", "skip stories published before this day"),
    ("max_articles", "--max-articles", "N", "request at most N story pages"),
    ("max_pages", "--max-pages", "N", "request at most N listing pages"),
    ("render", "--render", "MODE", "browser rendering: auto (default), always or never"),
    ("section", "--section", "KEY[,KEY...]", "the sections to crawl, e.g. news/nation or "
     "aseanplus/aseanplus-news,news/nation (default aseanplus/aseanplus-news)"),
)


def register(subparsers: Any) -> None:
    run = subparsers.add_parser(
        "run", help="one locked, time-bounded, logged crawl; exit 0 healthy, 1 failed, "
                    "2 degraded, 3 locked out, 64 usage error",
        description="Crawl the sections once (under a lock, bounded in time, logged to "
                    "<data dir>/logs/), publish the stories into <data dir>/runs/ and rebuild "
                    "the dataset. Exit 0 healthy, 1 failed (the reason is printed), 2 degraded "
                    "(published, but a monitor alarmed), 3 locked out, 64 usage error.",
    )
    run.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                     help=f"data directory (default $NEWSCRAWL_DATA_DIR or {DEFAULT_DATA_DIR})")
    run.add_argument("--max-run-time", type=_seconds, default=DEFAULT_MAX_RUN_TIME,
                     metavar="SECONDS", help="the crawl closes itself after this long "
                     f"(default {DEFAULT_MAX_RUN_TIME:g})")
    run.add_argument("--kill-grace", type=_seconds, default=DEFAULT_KILL_GRACE,
                     metavar="SECONDS", help="after the maximum run time, wait this long "
                     "between SIGTERM, a second SIGTERM and SIGKILL "
                     f"(default {DEFAULT_KILL_GRACE:g})")
    for dest, flag, metavar, text in SPIDER_OPTIONS:
        run.add_argument(flag, dest=dest, default=None, metavar=metavar, help=text)
    run.add_argument("-s", "--set", dest="settings", action="append", default=[],
                     metavar="NAME=VALUE", help="a Scrapy setting for the crawl (repeatable)")
    run.add_argument("--workers", type=_count, default=0, metavar="N",
                     help="crawl with N worker processes sharing one Redis (needs --redis)")
    run.add_argument("--redis", dest="redis_url", default=None, metavar="URL",
                     help="the Redis the workers share, e.g. redis://127.0.0.1:6379/0 "
                     "(default $NEWSCRAWL_REDIS_URL)")
    run.add_argument("--crawl-id", default=None, metavar="ID",
                     help="join the crawl ID that workers on other machines share (default: "
                     "a new crawl named after this run); a crawl id reused resumes that crawl")
    run.add_argument("--worker-restarts", type=_count, default=3, metavar="N",
                     help="replace a worker that dies at most N times (default 3)")
    run.add_argument("--no-dataset", dest="build_dataset", action="store_false",
                     help="do not rebuild the dataset after a run that published a feed")
    run.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    # Imported here: registering the command must not load Scrapy for the other commands.
    from newscrawl.runner.controller import RunController, RunOptions
    from newscrawl.spiders.arguments import ArgumentError, SpiderArguments

    for setting in args.settings:
        if "=" not in setting:
            return usage_error("newscrawl run", f"-s {setting!r} is not NAME=VALUE")
    spider_args = tuple(
        (dest, str(getattr(args, dest))) for dest, *_ in SPIDER_OPTIONS
        if getattr(args, dest) is not None
    )
    try:  # here, not only in the crawl: a typo is a usage error, not a failed run
        SpiderArguments.parse(dict(spider_args))
    except ArgumentError as error:
        return usage_error("newscrawl run", str(error))
    try:
        data_dir: Path = args.data_dir or default_data_dir()
    except ConfigError as error:
        # Exit 1 (failed), not 2: for this command 2 means a degraded crawl.
        print(f"newscrawl run: error: {error}", file=sys.stderr)
        return 1
    redis_url = args.redis_url or os.environ.get("NEWSCRAWL_REDIS_URL") or None
    if args.workers and not redis_url:
        print("newscrawl run: error: --workers needs --redis URL (or NEWSCRAWL_REDIS_URL)",
              file=sys.stderr)
        return 1
    options = RunOptions(
        data_dir=data_dir,
        max_run_time=args.max_run_time,
        kill_grace=args.kill_grace,
        spider_args=spider_args,
        settings=tuple(args.settings),
        build_dataset=args.build_dataset,
        interactive=sys.stdout.isatty(),
        workers=args.workers,
        redis_url=redis_url,
        worker_restarts=args.worker_restarts,
        crawl_id=args.crawl_id,
    )
    try:
        return int(RunController(options).execute())
    except OSError as error:
        # A read-only or full data directory (the lock, the log, the manifest): one line.
        where = Path(error.filename) if error.filename else data_dir
        print(f"newscrawl run: {storage_error(where, error)}", file=sys.stderr)
        return 1


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:  # nan compares false with everything
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value
