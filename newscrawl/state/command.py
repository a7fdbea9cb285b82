"""``newscrawl state``: look at the state store, re-queue given-up stories, or empty it.

The store is the one crawls use: ``--state PATH``, else ``NEWSCRAWL_STATE``, else
``<data dir>/state.sqlite``, the data directory being ``--data-dir DIR`` (as for ``newscrawl
run`` and ``dataset build``) or ``NEWSCRAWL_DATA_DIR`` (environment variables, read through
``NewscrawlConfig``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newscrawl.config import DEFAULT_DATA_DIR, ConfigError, NewscrawlConfig
from newscrawl.runs.lock import LOCK_NAME, RunLock, RunLockedError
from newscrawl.state.list_rules import ListRuleStore
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StateError, StateStore, StoreStats
from newscrawl.urls import link_canonical_url

Confirm = Callable[[str], str]


def register(subparsers: Any) -> None:
    """Add ``state stats`` and ``state reset`` to the ``newscrawl`` parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--state",
        default=None,
        metavar="PATH|URL",
        help="state file or redis:// URL (default: NEWSCRAWL_STATE, else <data dir>/state.sqlite)",
    )
    common.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="data directory, as for `newscrawl run` (default: NEWSCRAWL_DATA_DIR, else "
        f"{DEFAULT_DATA_DIR})",
    )
    parser = subparsers.add_parser("state", help="inspect or reset the crawl state store")
    actions = parser.add_subparsers(dest="state_command", required=True, metavar="COMMAND")
    stats = actions.add_parser("stats", parents=[common], help="print what the store holds")
    stats.set_defaults(func=run_stats)
    reset = actions.add_parser(
        "reset", parents=[common], help="forget every story and run (asks first)"
    )
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset.set_defaults(func=run_reset)
    retry = actions.add_parser(
        "retry", parents=[common],
        help="re-queue given-up stories: the next crawl fetches them first",
    )
    retry.add_argument("urls", nargs="*", metavar="URL",
                       help="the given-up stories to re-queue (default: all of them)")
    retry.set_defaults(func=run_retry)


def _open_store(args: argparse.Namespace, missing: str) -> tuple[Path | str, StateStore] | int:
    """The store named by the arguments, or the exit code after saying why there is none."""
    url = _state_url(args)
    if url is not None:
        # Imported here: the SQLite commands need no Redis client.
        from newscrawl.state.redis_store import RedisStateStore, is_redis_url

        if not is_redis_url(url):
            print(f"error: {url!r} is not a redis:// URL", file=sys.stderr)
            return 2
        try:
            return url, RedisStateStore.from_url(url, outage_timeout=5)
        except StateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    path = _state_path(args)
    if path is None:
        return 1
    if not path.exists():
        print(f"No state file at {path}: {missing}.")
        return 0
    try:
        return path, SqliteStateStore(path)
    except StateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run_stats(args: argparse.Namespace) -> int:
    opened = _open_store(args, "no crawl has recorded a story yet")
    if isinstance(opened, int):
        return opened
    _, store = opened
    try:
        print(format_stats(store.stats()))
        print(format_list_rule(store.list_rules()))
    finally:
        store.close()
    return 0


def run_reset(args: argparse.Namespace, confirm: Confirm | None = None) -> int:
    # The run lock first, held until the store is closed: emptying the store under a running
    # crawl would wipe the bookkeeping of the run it is committing.
    lock = _run_lock(args)
    if isinstance(lock, int):
        return lock
    try:
        return _reset(args, confirm)
    finally:
        if lock is not None:
            lock.release()


def _reset(args: argparse.Namespace, confirm: Confirm | None) -> int:
    opened = _open_store(args, "nothing to reset")
    if isinstance(opened, int):
        return opened
    path, store = opened
    try:
        stats = store.stats()
        if not args.yes:
            question = (
                f"Forget {stats.stories} stories and {stats.runs} runs in {path}? The next crawl "
                "will emit every story again. Type 'yes' to continue: "
            )
            try:
                answer = (confirm or input)(question)
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                print("Not reset.")
                return 1
        store.reset()
    finally:
        store.close()
    print(f"Reset {path}: {stats.stories} stories and {stats.runs} runs forgotten.")
    return 0


def run_retry(args: argparse.Namespace) -> int:
    # Under the run lock, like reset: a running crawl writes the pending stories at its end.
    lock = _run_lock(args)
    if isinstance(lock, int):
        return lock
    try:
        opened = _open_store(args, "nothing to retry")
        if isinstance(opened, int):
            return opened
        path, store = opened
        try:
            # As the store keeps them: canonical (the site's host, no tracking query...).
            urls = [link_canonical_url(url) or url for url in args.urls]
            count = store.requeue_given_up(urls or None)
        except StateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            store.close()
    finally:
        if lock is not None:
            lock.release()
    print(f"Re-queued {count} given-up stories in {path}: the next crawl fetches them first.")
    if args.urls and count < len(args.urls):
        print(f"{len(args.urls) - count} of the URLs given are not given-up stories.",
              file=sys.stderr)
        return 1
    return 0


def format_list_rule(rules: ListRuleStore) -> str:
    """The learned "Others Also Read" rule, and whether runs have seen filled lists."""
    stored = rules.rule()
    history = rules.history()
    lines = [f"others-also-read {stored.description if stored else '- (none learned)'}"]
    if stored:
        lines.append(f"  learned        {stored.learned_at} (run {stored.learned_run})")
    lines.append(f"  filled lists   in {history.runs_with_lists} runs, last "
                 f"{history.last_filled_at or '-'}")
    return "\n".join(lines)


def format_stats(stats: StoreStats) -> str:
    run = stats.last_successful_run
    lines = [
        f"state file       {stats.location}",
        f"schema           {stats.schema_version}",
        f"size             {stats.size_bytes / 1_048_576:.1f} MiB",
        f"stories          {stats.stories}",
        f"  revised        {stats.revised_stories} (version > 1)",
        f"  duplicates     {stats.duplicates} (duplicate_of set)",
        f"published        {stats.oldest_published_at or '-'} .. "
        f"{stats.newest_published_at or '-'}",
        f"runs             {stats.runs}",
    ]
    if run is None:
        lines.append("last good run    none")
    else:
        lines += [
            f"last good run    {run.run_id} (finished {run.finished_at}, "
            f"{run.stories_committed} stories)",
            f"  newest story   {run.newest_story_id or '-'} "
            f"published {run.newest_published_at or '-'}",
        ]
    lines += [
        f"pending          {stats.pending} (seen, not yet published; retried by the next runs)",
        f"given up         {len(stats.given_up)}"
        + (" (newscrawl state retry re-queues them)" if stats.given_up else ""),
    ]
    lines += [f"  {entry.url}  failed in {entry.attempts} runs, last error: "
              f"{entry.last_error or '-'} (given up {entry.given_up})" for entry in stats.given_up]
    lines.append(f"stop points      {len(stats.walks)} sections (a run walks each listing back "
                 "to its point)" if stats.walks else "stop points      none (the next run walks "
                 "each section's listing to the end)")
    lines += [f"  {walk.section}  walked to the end by run {walk.run_id}, finished "
              f"{walk.finished_at}" for walk in stats.walks]
    return "\n".join(lines)


def _run_lock(args: argparse.Namespace) -> RunLock | int | None:
    """The held run lock ``newscrawl run`` takes (``<data dir>/run.lock``), None when the data
    directory does not exist (no run can hold it, and it is not created), or the exit code after
    saying why it cannot be had."""
    try:
        data_dir = _config(args).data_dir
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not data_dir.is_dir():
        return None
    lock = RunLock(data_dir / LOCK_NAME)
    try:
        lock.acquire()
    except RunLockedError:
        print(f"a run is in progress (lock {lock.path}); not reset", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"error: cannot take the run lock {lock.path}: {exc}", file=sys.stderr)
        return 1
    return lock


def _state_url(args: argparse.Namespace) -> str | None:
    """``--state`` or ``NEWSCRAWL_STATE`` when it is a URL (a shared store, e.g. Redis)."""
    raw = args.state if args.state is not None else os.environ.get("NEWSCRAWL_STATE")
    return str(raw) if raw and "://" in str(raw) else None


def _state_path(args: argparse.Namespace) -> Path | None:
    if args.state is not None:
        return Path(args.state)
    try:
        return _config(args).state_path
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _config(args: argparse.Namespace) -> NewscrawlConfig:
    """The settings a crawl started with these arguments would use (``newscrawl run`` passes
    ``--data-dir`` to its crawl as NEWSCRAWL_DATA_DIR)."""
    settings = dict(os.environ)
    if args.data_dir is not None:
        settings["NEWSCRAWL_DATA_DIR"] = str(args.data_dir)
    return NewscrawlConfig.from_settings(settings)
