"""Pending stories in the Redis state store: the same contract as ``sqlite_pending`` (see
``StateStore.begin_pending``), kept as one hash of JSON entries by story id plus a run counter.

Workers of one crawl share them (``newscrawl.distributed.pending``): ``begin_for_crawl`` gives
every worker of a crawl the same run number, and ``merge`` writes what each worker saw so that
the order in which the workers finish does not matter (see there).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from typing import Any, Final

from newscrawl.state.store import PendingEntry

PENDING: Final = "pending"
RUNS_COUNTER: Final = "pending_runs"
# Hash: crawl id -> its pending-run number (the same for every worker of the crawl).
CRAWL_RUNS: Final = "pending_run_of"
# Hash: story id -> the pending-run number in which a worker settled it (no story there).
SETTLED_IN: Final = "pending_settled"

# KEYS: counter, crawl runs, settled. ARGV: crawl id. The first worker of a crawl counts a new
# run (and forgets what earlier runs settled); the others, and a replaced worker, get its number.
_BEGIN_FOR_CRAWL: Final = """
local number = redis.call('HGET', KEYS[2], ARGV[1])
if number then return tonumber(number) end
number = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], number)
redis.call('DEL', KEYS[3])
return number
"""
# redis-py's stubs type transaction() callbacks as returning None and replies as str | bytes;
# this module returns values from its callbacks and reads bytes (the store decodes nothing).
RedisClient = Any


def begin(server: RedisClient, key: Callable[[str], str]) -> tuple[int, list[PendingEntry]]:
    pipe = server.pipeline(transaction=True)
    pipe.incr(key(RUNS_COUNTER))
    pipe.hgetall(key(PENDING))
    number, rows = pipe.execute()
    return int(number), ordered(rows)


def save(server: RedisClient, key: Callable[[str], str], entries: Iterable[PendingEntry],
         settled: Iterable[str]) -> int:
    """Entries of stories already published are skipped, as the SQLite store does; the check
    and the write are one WATCHed transaction, so a worker's commit cannot slip between them."""
    entries = list(entries)
    settled = list(settled)

    def write(pipe: Any) -> int:
        published = pipe.hmget(key("published"), [e.id for e in entries]) if entries else []
        keep = [e for e, p in zip(entries, published, strict=True) if p is None]
        pipe.multi()
        if keep:
            pipe.hset(key(PENDING), mapping={e.id: _dump(e) for e in keep})
        if settled:
            pipe.hdel(key(PENDING), *settled)
        return len(keep)

    result: int = server.transaction(write, key("published"), key(PENDING),
                                     value_from_callable=True)
    return result


def begin_for_crawl(server: RedisClient, key: Callable[[str], str],
                    crawl_id: str) -> tuple[int, list[PendingEntry]]:
    number = server.eval(_BEGIN_FOR_CRAWL, 3, key(RUNS_COUNTER), key(CRAWL_RUNS),
                         key(SETTLED_IN), crawl_id)
    return int(number), ordered(server.hgetall(key(PENDING)))


def merge(server: RedisClient, key: Callable[[str], str], run: int,
          decided: Iterable[PendingEntry], met: Iterable[PendingEntry],
          settled: Iterable[str]) -> int:
    """One worker's part of a shared run, in one WATCHed transaction; returns entries written.

    - ``decided``: stories this worker fetched and could not publish: written (attempts
      counted), keeping how the story was found when the worker that found it said so first;
      not when another worker's outcome of this run is there (one attempt per run: a story
      fetched twice, after a lease lapsed, is not one step nearer to being given up).
    - ``met``: stories this worker found and another fetched: written only when nothing of this
      run is there yet (the fetching worker's outcome wins in either order), the story is not
      published, and no worker settled it in this run.
    - ``settled``: removed, and remembered for the run, so a later ``met`` does not bring
      them back.
    Stories published by now are never written, as in ``save``.
    """
    decided, met, settled = list(decided), list(met), list(settled)
    ids = [e.id for e in decided] + [e.id for e in met]

    def write(pipe: Any) -> int:
        published = pipe.hmget(key("published"), ids) if ids else []
        done = {i for i, p in zip(ids, published, strict=True) if p is not None}
        stored = pipe.hmget(key(PENDING), ids) if ids else []
        current = {e.id: e for e in (_load(raw) for raw in stored if raw is not None)}
        gone = pipe.hmget(key(SETTLED_IN), [e.id for e in met]) if met else []
        settled_now = {e.id for e, r in zip(met, gone, strict=True) if r is not None
                       and int(r) == run}
        out: dict[str, PendingEntry] = {}
        for entry in met:
            old = current.get(entry.id)
            if entry.id in done or entry.id in settled_now:
                continue
            if old is None:
                out[entry.id] = entry
            elif not old.via and old.first_run == run:  # its fetcher did not know how it was found
                out[entry.id] = _found_as(old, entry)
        for entry in decided:
            old = current.get(entry.id)
            if entry.id in done or (old is not None and old.due_run > run):
                continue  # published, or another worker's outcome of this run came first
            out[entry.id] = _found_as(entry, old) if old and not entry.via and old.via \
                else entry
        pipe.multi()
        if out:
            pipe.hset(key(PENDING), mapping={i: _dump(e) for i, e in out.items()})
        if settled:
            pipe.hdel(key(PENDING), *settled)
            pipe.hset(key(SETTLED_IN), mapping=dict.fromkeys(settled, run))
        return len(out)

    result: int = server.transaction(write, key("published"), key(PENDING), key(SETTLED_IN),
                                     value_from_callable=True)
    return result


def _found_as(entry: PendingEntry, finder: PendingEntry) -> PendingEntry:
    """``entry`` with how and when ``finder`` found the story."""
    return dataclasses.replace(entry, via=finder.via, referrer=finder.referrer,
                               first_seen=finder.first_seen)


def remove(server: RedisClient, key: Callable[[str], str], ids: Iterable[str]) -> None:
    ids = list(ids)
    if ids:
        server.hdel(key(PENDING), *ids)


def requeue(server: RedisClient, key: Callable[[str], str], urls: Iterable[str] | None) -> int:
    wanted = None if urls is None else set(urls)

    def write(pipe: Any) -> int:
        changed = {
            e.id: _dump(dataclasses.replace(e, given_up=None, attempts=0, due_run=0))
            for e in ordered(pipe.hgetall(key(PENDING)))
            if e.given_up is not None and (wanted is None or e.url in wanted)
        }
        pipe.multi()
        if changed:
            pipe.hset(key(PENDING), mapping=changed)
        return len(changed)

    result: int = server.transaction(write, key(PENDING), value_from_callable=True)
    return result


def all_entries(server: RedisClient, key: Callable[[str], str]) -> list[PendingEntry]:
    return ordered(server.hgetall(key(PENDING)))


def ordered(rows: dict[Any, Any]) -> list[PendingEntry]:
    entries = [_load(raw) for raw in rows.values()]
    return sorted(entries, key=lambda e: (e.first_run, e.first_seen, e.id))


def _load(raw: Any) -> PendingEntry:
    return PendingEntry(**json.loads(raw))


def _dump(entry: PendingEntry) -> str:
    return json.dumps(dataclasses.asdict(entry), sort_keys=True)
