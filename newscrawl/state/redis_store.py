"""RedisStateStore: the ``StateStore`` protocol on a shared Redis, for many workers.

Chosen by URL: ``NEWSCRAWL_STATE=redis://host:port/db`` (``?prefix=NAME`` to keep several
stores in one database, default ``newscrawl:state``; ``&outage=SECONDS``: how long a call waits
out an unreachable Redis before the crawl fails, default 60). Every key starts with the prefix:

- ``story:<id>``: the story as JSON (its signature bytes live in ``sig:<kind>``);
- ``sig:<kind>`` (hash id -> "<first_seen>\\n<signature>") and ``sigtime:<kind>`` (sorted set
  by publication time): the near-duplicate window is one range read;
- ``published`` (hash id -> published_at, read once per run), ``by_published`` (sorted set, for
  the catch-up story), ``hash:<content_hash>`` (hash id -> first_seen), ``revised`` and
  ``duplicates`` (sets, for stats);
- ``runs``, ``running``, ``last_ok`` and ``walks``: the runs and each section's stop-when-seen
  point (``redis_runs``);
- ``pending`` and its counters: pending stories (``redis_pending``); the learned list rules
  (``redis_list_rules``);
- ``staged:<token>``: the stories one store client (one worker) staged and has not committed
  (hash id -> the story's values), the token new for every client.

Staged stories wait in Redis, not in the worker's memory: a first run stages every story it
emits until its feed is stored, usually at the end of the run, and what each story costs there
every worker pays (the SQLite store keeps them in a TEMP table for the same reason, see
``sqlite_staging``). Only the client that staged a story knows its token, so only it commits or
discards it: a killed worker's staged stories are never committed (its feed was not published
either, see ``newscrawl.state.commit``) and expire with their hash (``STAGING_TTL``).

``commit`` is one Lua script per batch: its stories move from the staging hash into the store
with the run's counters, all or none. It is idempotent: a story already stored at the same or a
later version is skipped, so a story two workers fetched (a lease that lapsed) or a recovered
feed is written once.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit, urlunsplit

import redis

from newscrawl.redis_connection import ClusterUnsupportedError, open_redis, refuse_cluster
from newscrawl.sections import DEFAULT_SECTION, Section
from newscrawl.state import redis_pending
from newscrawl.state.redis_list_rules import RedisListRuleStore
from newscrawl.state.redis_runs import RedisRunBook
from newscrawl.state.redis_scripts import COMMIT, GET, LOOKUP, TOUCH
from newscrawl.state.store import (
    PendingEntry,
    RunRecord,
    RunStatus,
    SignatureRow,
    StateError,
    StoredStory,
    StoreStats,
    StoryLookup,
)

logger = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 2
DEFAULT_PREFIX: Final = "newscrawl:state"
OUTAGE_TIMEOUT: Final = 60.0
_BATCH: Final = 500
# How long a staging hash outlives its client's last stage: far past any run (``newscrawl
# run`` stops a crawl after an hour by default), so a live worker never loses a staged story,
# while a killed worker's are removed in the end.
STAGING_TTL: Final = 7 * 24 * 3600

def is_redis_url(location: str) -> bool:
    return location.startswith(("redis://", "rediss://", "unix://"))


class RedisStateStore:
    """``StateStore`` on Redis. Safe for many processes; one client per process."""

    def __init__(self, server: redis.Redis, prefix: str, location: str) -> None:
        self._server = server
        self._prefix = prefix
        self._location = location
        self._staging = self._key(f"staged:{uuid.uuid4().hex}")
        self._commit = server.register_script(COMMIT)
        self._touch = server.register_script(TOUCH)
        self._get = server.register_script(GET)
        self._lookup = server.register_script(LOOKUP)
        self._runs = RedisRunBook(server, prefix, self._call)
        try:
            refuse_cluster(server, location)
            found = server.hget(self._key("meta"), "schema_version")
            if found is None:
                server.hset(self._key("meta"), "schema_version", SCHEMA_VERSION)
            elif int(found) == 1:
                self._runs.migrate_walks("schema_version", SCHEMA_VERSION)
            elif int(found) != SCHEMA_VERSION:
                raise StateError(f"state at {location} has schema {int(found)}, this code "
                                 f"reads {SCHEMA_VERSION}; `newscrawl state reset` empties it")
        except ClusterUnsupportedError as error:
            raise StateError(f"state at {error}") from error
        except redis.RedisError as error:
            raise StateError(f"state at {location} cannot be reached: {error}") from error

    @classmethod
    def from_url(cls, url: str, outage_timeout: float = OUTAGE_TIMEOUT) -> RedisStateStore:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        prefix = query.get("prefix", [DEFAULT_PREFIX])[0]
        try:
            outage_timeout = float(query.get("outage", [outage_timeout])[0])
        except ValueError:
            raise StateError(f"state URL {url!r}: outage= is not a number of seconds") from None
        plain = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        shown = plain if "@" not in parts.netloc else plain.replace(
            parts.netloc, "…@" + parts.netloc.rsplit("@", 1)[1])
        return cls(open_redis(plain, outage_timeout, "state"), prefix, f"{shown} ({prefix})")

    @property
    def location(self) -> str:
        return self._location

    def _key(self, name: str) -> str:
        return f"{self._prefix}:{name}"

    # --- reads ------------------------------------------------------------------------------

    def get(self, story_id: str) -> StoredStory | None:
        found: Any = self._call(self._get, keys=[self._prefix], args=[story_id])
        if not found:
            return None
        signature = _signature_part(found[1]) if len(found) > 1 and found[1] else None
        return _story(json.loads(found[0]), signature)

    def ids_with_content_hash(self, content_hash: str) -> list[tuple[str, str]]:
        return _same_content(self._call(self._server.hgetall, self._key(f"hash:{content_hash}")))

    def lookup(self, story_id: str, content_hash: str) -> StoryLookup:
        found: Any = self._call(self._lookup, keys=[self._prefix],
                                args=[story_id, content_hash])
        raw, signature, rows = found
        stored = _story(json.loads(raw), _signature_part(signature) if signature else None) \
            if raw else None
        return StoryLookup(stored, _same_content(dict(zip(rows[::2], rows[1::2], strict=True))))

    def signatures(self, kind: str, published_since: str) -> Iterator[SignatureRow]:
        ids = self._call(self._server.zrangebyscore, self._key(f"sigtime:{kind}"),
                         _score(published_since), "+inf")
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start:start + _BATCH]
            values = self._call(self._server.hmget, self._key(f"sig:{kind}"), chunk)
            for sid, value in zip(chunk, values, strict=True):
                if value is not None:
                    first, _, signature = bytes(value).partition(b"\n")
                    yield SignatureRow(sid.decode(), first.decode(), signature)

    def known_stories(self) -> Iterator[tuple[str, str]]:
        for sid, published in self._call(self._server.hscan_iter, self._key("published"),
                                         count=2000):
            yield sid.decode(), published.decode()

    def catch_up_story(self, section: Section = DEFAULT_SECTION) -> tuple[str, str] | None:
        return self._runs.catch_up_story(section)

    def unfinished_runs(self) -> list[str]:
        return self._runs.unfinished()

    # --- writes -----------------------------------------------------------------------------

    def stage(self, story: StoredStory) -> None:
        pipe = self._server.pipeline(transaction=False)
        pipe.hset(self._staging, story.id, _staged_value(story))
        pipe.expire(self._staging, STAGING_TTL)
        self._call(pipe.execute)

    @property
    def staged_count(self) -> int:
        return int(self._call(self._server.hlen, self._staging))

    def commit(self, run_id: str, story_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(story_ids))
        written = 0
        taken: list[str] = []
        for start in range(0, len(ids), _BATCH):
            count, took = self._call(
                self._commit, keys=[self._prefix, self._staging],
                args=[self._prefix, run_id, self._staging, *ids[start:start + _BATCH]])
            written += int(count)
            taken += [bytes(i).decode() for i in took]
        if len(taken) < len(ids):
            # Every id the crawl commits was staged by this client: missing ones were lost in
            # Redis (a restart without persistence). Their feed is published; the next run
            # emits them again rather than losing them, and says so here.
            logger.warning("State: %d of %d stories to record were no longer staged in %s",
                           len(ids) - len(taken), len(ids), self._location)
        # Published is not pending. After the commit script, not inside it: a crash in between
        # leaves an entry that the next run's save_pending drops, since the story is stored.
        self._call(redis_pending.remove, self._server, self._key, taken)
        return written

    def begin_pending(self) -> tuple[int, list[PendingEntry]]:
        result: tuple[int, list[PendingEntry]] = self._call(redis_pending.begin, self._server,
                                                            self._key)
        return result

    def save_pending(self, entries: Iterable[PendingEntry], settled: Iterable[str]) -> int:
        return int(self._call(redis_pending.save, self._server, self._key, entries, settled))

    def begin_crawl_pending(self, crawl_id: str) -> tuple[int, list[PendingEntry]]:
        """``begin_pending`` for a worker of crawl ``crawl_id``: one run for all its workers."""
        result: tuple[int, list[PendingEntry]] = self._call(
            redis_pending.begin_for_crawl, self._server, self._key, crawl_id)
        return result

    def merge_pending(self, run: int, decided: Iterable[PendingEntry],
                      met: Iterable[PendingEntry], settled: Iterable[str]) -> int:
        """``save_pending`` for one worker of a shared run (see ``redis_pending.merge``)."""
        return int(self._call(redis_pending.merge, self._server, self._key, run, decided, met,
                              settled))

    def requeue_given_up(self, urls: Iterable[str] | None = None) -> int:
        return int(self._call(redis_pending.requeue, self._server, self._key, urls))

    def discard_staged(self) -> int:
        pipe = self._server.pipeline(transaction=True)
        pipe.hlen(self._staging)
        pipe.delete(self._staging)
        count, _ = self._call(pipe.execute)
        return int(count)

    def touch(self, story_ids: Iterable[str], seen_at: str) -> None:
        ids = list(story_ids)
        for start in range(0, len(ids), _BATCH):
            self._call(self._touch, keys=[self._prefix],
                       args=[self._prefix, seen_at, *ids[start:start + _BATCH]])

    def begin_run(self, run_id: str, started_at: str) -> None:
        self._runs.begin(run_id, started_at)

    def finish_run(self, run_id: str, finished_at: str, status: RunStatus,
                   walked: Iterable[str] | None = None) -> None:
        self._runs.finish(run_id, finished_at, status, walked)

    def last_successful_run(self) -> RunRecord | None:
        return self._runs.last_successful()

    def stats(self) -> StoreStats:
        pipe = self._server.pipeline(transaction=False)
        pipe.hlen(self._key("published"))
        pipe.scard(self._key("revised"))
        pipe.scard(self._key("duplicates"))
        pipe.zrange(self._key("by_published"), 0, 0)
        pipe.zrevrange(self._key("by_published"), 0, 0)
        pipe.hlen(self._key("runs"))
        pipe.info("memory")
        stories, revised, duplicates, oldest, newest, runs, memory = self._call(pipe.execute)
        entries = self._call(redis_pending.all_entries, self._server, self._key)

        def published(ids: list[bytes]) -> str | None:
            if not ids:
                return None
            value = self._call(self._server.hget, self._key("published"), ids[0])
            return value.decode() if value else None

        return StoreStats(
            location=self.location, schema_version=SCHEMA_VERSION, stories=int(stories),
            revised_stories=int(revised), duplicates=int(duplicates),
            oldest_published_at=published(oldest), newest_published_at=published(newest),
            runs=int(runs), last_successful_run=self.last_successful_run(),
            # The whole Redis server's memory: the store shares it with the frontier.
            size_bytes=int(memory.get("used_memory", 0)),
            pending=sum(1 for e in entries if e.given_up is None),
            given_up=tuple(sorted((e for e in entries if e.given_up is not None),
                                  key=lambda e: (e.given_up or "", e.id))),
            walks=self._runs.walks(),
        )

    def reset(self) -> None:
        for key in self._call(self._server.scan_iter, match=f"{self._prefix}:*", count=1000):
            self._call(self._server.delete, key)
        self._call(self._server.hset, self._key("meta"), "schema_version", SCHEMA_VERSION)

    def list_rules(self) -> RedisListRuleStore:
        return RedisListRuleStore(self._server, self._key, self._call)

    def close(self) -> None:
        self._server.close()

    # --- helpers ----------------------------------------------------------------------------

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except redis.RedisError as error:
            raise StateError(f"state at {self._location} failed: {error}") from error


def _score(published_at: str) -> float:
    try:
        return datetime.fromisoformat(published_at).timestamp()
    except (TypeError, ValueError):
        return math.inf  # unreadable: treated as recent, as KnownStories does


def _staged_value(story: StoredStory) -> bytes:
    """The story's values for ``COMMIT``, each as a netstring (``<bytes>:<value>``)."""
    parts = [value if isinstance(value, bytes) else str(value).encode()
             for value in _commit_args(story)]
    return b"".join(b"%d:%b" % (len(part), part) for part in parts)


def _commit_args(story: StoredStory) -> list[Any]:
    doc = {
        "id": story.id, "url": story.url, "content_hash": story.content_hash,
        "signature_kind": story.signature_kind if story.signature else None,
        "field_digests": dict(story.field_digests), "duplicate_of": story.duplicate_of,
        "published_at": story.published_at, "modified_at": story.modified_at,
        "first_seen": story.first_seen, "last_seen": story.last_seen, "version": story.version,
    }
    score = _score(story.published_at)
    return [
        story.id, json.dumps(doc, sort_keys=True), story.content_hash, story.published_at,
        "inf" if math.isinf(score) else repr(score),
        story.signature_kind if story.signature and story.signature_kind else "",
        story.signature or b"", story.version, "1" if story.duplicate_of else "0",
        story.first_seen,
    ]


def _same_content(rows: dict[bytes, bytes]) -> list[tuple[str, str]]:
    """``(id, first_seen)`` from a ``hash:<content_hash>`` hash, oldest first."""
    found = sorted((first.decode(), sid.decode()) for sid, first in rows.items())
    return [(sid, first) for first, sid in found]


def _signature_part(value: bytes) -> bytes:
    return bytes(value).partition(b"\n")[2]


def _story(doc: dict[str, Any], signature: bytes | None) -> StoredStory:
    return StoredStory(
        id=doc["id"], url=doc["url"], content_hash=doc["content_hash"],
        signature=signature, signature_kind=doc.get("signature_kind") if signature else None,
        field_digests=dict(doc.get("field_digests") or {}),
        duplicate_of=doc.get("duplicate_of"), published_at=doc["published_at"],
        modified_at=doc.get("modified_at"), first_seen=doc["first_seen"],
        last_seen=doc["last_seen"], version=int(doc["version"]),
    )
