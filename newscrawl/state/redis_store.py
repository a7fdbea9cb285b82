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
- ``runs`` (hash run id -> JSON), ``running`` (set), ``last_ok`` (the latest ``ok`` run);
- ``walks`` (hash section key -> JSON run id and finish time): each section's stop-when-seen
  point, the latest run that completed the section's listing walk (schema 2; a schema 1 store
  had one section, whose point was ``last_ok``: opening it moves that over).

``commit`` is one Lua script per batch: all of its stories and the run's counters, or none.
It is idempotent: a story already stored at the same or a later version is skipped, so a story
two workers fetched (a lease that lapsed) or a recovered feed is written once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit, urlunsplit

import redis

from newscrawl.redis_connection import open_redis
from newscrawl.sections import DEFAULT_SECTION, Section
from newscrawl.state import redis_pending
from newscrawl.state.redis_list_rules import RedisListRuleStore
from newscrawl.state.redis_scripts import COMMIT, FINISH_RUN, GET, TOUCH
from newscrawl.state.store import (
    PendingEntry,
    RunRecord,
    RunStatus,
    SectionWalk,
    SignatureRow,
    StateError,
    StoredStory,
    StoreStats,
    walked_sections,
)
from newscrawl.urls import story_url_prefix

SCHEMA_VERSION: Final = 2
DEFAULT_PREFIX: Final = "newscrawl:state"
OUTAGE_TIMEOUT: Final = 60.0
_BATCH: Final = 500
_STATUSES: Final[dict[str, RunStatus]] = {"running": "running", "ok": "ok",
                                          "incomplete": "incomplete"}

def is_redis_url(location: str) -> bool:
    return location.startswith(("redis://", "rediss://", "unix://"))


class RedisStateStore:
    """``StateStore`` on Redis. Safe for many processes; one client per process."""

    def __init__(self, server: redis.Redis, prefix: str, location: str) -> None:
        self._server = server
        self._prefix = prefix
        self._location = location
        self._staged: dict[str, StoredStory] = {}
        self._commit = server.register_script(COMMIT)
        self._touch = server.register_script(TOUCH)
        self._finish = server.register_script(FINISH_RUN)
        self._get = server.register_script(GET)
        try:
            found = server.hget(self._key("meta"), "schema_version")
            if found is None:
                server.hset(self._key("meta"), "schema_version", SCHEMA_VERSION)
            elif int(found) == 1:
                self._migrate_walks()
            elif int(found) != SCHEMA_VERSION:
                raise StateError(f"state at {location} has schema {int(found)}, this code "
                                 f"reads {SCHEMA_VERSION}; `newscrawl state reset` empties it")
        except redis.RedisError as error:
            raise StateError(f"state at {location} cannot be reached: {error}") from error

    def _migrate_walks(self) -> None:
        """Schema 1 to 2 in one transaction: the latest ``ok`` run was the one section's point."""
        pipe = self._server.pipeline(transaction=True)
        last = self._server.get(self._key("last_ok"))
        if last:
            run = json.loads(last)
            pipe.hset(self._key("walks"), DEFAULT_SECTION.key, json.dumps(
                {"run_id": run["run_id"], "finished_at": run["finished_at"]}))
        pipe.hset(self._key("meta"), "schema_version", SCHEMA_VERSION)
        pipe.execute()

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
        rows = self._call(self._server.hgetall, self._key(f"hash:{content_hash}"))
        found = sorted((first.decode(), sid.decode()) for sid, first in rows.items())
        return [(sid, first) for first, sid in found]

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
        walk = self._call(self._server.hget, self._key("walks"), section.key)
        if not walk:
            return None
        finished_at = json.loads(walk)["finished_at"]
        prefix = story_url_prefix(section)
        start = 0
        while True:
            ids = self._call(self._server.zrevrange, self._key("by_published"), start,
                             start + _BATCH - 1)
            if not ids:
                return None
            docs = self._call(self._server.mget, [self._key(f"story:{i.decode()}") for i in ids])
            for doc in docs:
                if doc is None:
                    continue
                story = json.loads(doc)
                if story["url"].startswith(prefix) and story["first_seen"] <= finished_at:
                    return story["id"], story["published_at"]
            start += _BATCH

    def unfinished_runs(self) -> list[str]:
        ids = [i.decode() for i in self._call(self._server.smembers, self._key("running"))]
        runs = [r for r in (self._run(i) for i in ids) if r is not None]
        return [r.run_id for r in sorted(runs, key=lambda r: (r.started_at, r.run_id))]

    # --- writes -----------------------------------------------------------------------------

    def stage(self, story: StoredStory) -> None:
        self._staged[story.id] = story

    def commit(self, run_id: str, story_ids: Iterable[str]) -> int:
        stories = [s for i in story_ids if (s := self._staged.pop(i, None)) is not None]
        written = 0
        for start in range(0, len(stories), _BATCH):
            args: list[Any] = [self._prefix, run_id]
            for story in stories[start:start + _BATCH]:
                args += _commit_args(story)
            written += int(self._call(self._commit, keys=[self._prefix], args=args))
        # Published is not pending. After the commit script, not inside it: a crash in between
        # leaves an entry that the next run's save_pending drops, since the story is stored.
        self._call(redis_pending.remove, self._server, self._key, [s.id for s in stories])
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
        count = len(self._staged)
        self._staged.clear()
        return count

    def touch(self, story_ids: Iterable[str], seen_at: str) -> None:
        ids = list(story_ids)
        for start in range(0, len(ids), _BATCH):
            self._call(self._touch, keys=[self._prefix],
                       args=[self._prefix, seen_at, *ids[start:start + _BATCH]])

    def begin_run(self, run_id: str, started_at: str) -> None:
        record = {"run_id": run_id, "started_at": started_at, "finished_at": None,
                  "status": "running", "stories_committed": 0, "newest_published_at": None,
                  "newest_story_id": None}
        pipe = self._server.pipeline(transaction=True)
        pipe.hset(self._key("runs"), run_id, json.dumps(record))
        pipe.sadd(self._key("running"), run_id)
        self._call(pipe.execute)

    def finish_run(self, run_id: str, finished_at: str, status: RunStatus,
                   walked: Iterable[str] | None = None) -> None:
        self._call(self._finish, keys=[self._prefix],
                   args=[self._prefix, run_id, finished_at, status,
                         *walked_sections(status, walked)])

    def last_successful_run(self) -> RunRecord | None:
        raw = self._call(self._server.get, self._key("last_ok"))
        return _run(json.loads(raw)) if raw else None

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
        walks = self._call(self._server.hgetall, self._key("walks"))

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
            walks=tuple(sorted((_walk(key, doc) for key, doc in walks.items()),
                               key=lambda walk: walk.section)),
        )

    def reset(self) -> None:
        self._staged.clear()
        for key in self._call(self._server.scan_iter, match=f"{self._prefix}:*", count=1000):
            self._call(self._server.delete, key)
        self._call(self._server.hset, self._key("meta"), "schema_version", SCHEMA_VERSION)

    def list_rules(self) -> RedisListRuleStore:
        return RedisListRuleStore(self._server, self._key, self._call)

    def close(self) -> None:
        self._server.close()

    # --- helpers ----------------------------------------------------------------------------

    def _run(self, run_id: str) -> RunRecord | None:
        raw = self._call(self._server.hget, self._key("runs"), run_id)
        return _run(json.loads(raw)) if raw else None

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


def _walk(section: bytes, raw: bytes) -> SectionWalk:
    doc = json.loads(raw)
    return SectionWalk(section.decode(), doc["run_id"], doc["finished_at"])


def _run(doc: dict[str, Any]) -> RunRecord:
    return RunRecord(
        run_id=doc["run_id"], started_at=doc["started_at"], finished_at=doc.get("finished_at"),
        status=_STATUSES.get(doc.get("status") or "", "incomplete"),
        stories_committed=int(doc.get("stories_committed") or 0),
        newest_published_at=doc.get("newest_published_at"),
        newest_story_id=doc.get("newest_story_id"),
    )
