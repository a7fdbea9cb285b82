"""Pending stories in the Redis state store: the same contract as ``sqlite_pending`` (see
``StateStore.begin_pending``), kept as one hash of JSON entries by story id plus a run counter."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from typing import Any, Final

from newscrawl.state.store import PendingEntry

PENDING: Final = "pending"
RUNS_COUNTER: Final = "pending_runs"
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
    entries = [PendingEntry(**json.loads(raw)) for raw in rows.values()]
    return sorted(entries, key=lambda e: (e.first_run, e.first_seen, e.id))


def _dump(entry: PendingEntry) -> str:
    return json.dumps(dataclasses.asdict(entry), sort_keys=True)
