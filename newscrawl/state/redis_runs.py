"""Runs and per-section stop points in the Redis state store: the same contract as the SQLite
``runs`` and ``walks`` tables (see ``StateStore.begin_run``, ``finish_run`` and
``catch_up_story``), kept in ``runs`` (hash run id -> JSON), ``running`` (set), ``last_ok``
(the latest ``ok`` run) and ``walks`` (hash section key -> JSON run id and finish time).

A section's stop-when-seen point is the latest run that completed the section's listing walk
(schema 2). A schema 1 store had one section, whose point was ``last_ok``: ``migrate_walks``
moves that over. Finishing a run is one script (``FINISH_RUN``): its record, ``last_ok`` and
the walks it completed move together, and never back to an earlier finish, whichever of many
workers finishes last.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Final

from newscrawl.sections import DEFAULT_SECTION, Section
from newscrawl.state.redis_scripts import FINISH_RUN
from newscrawl.state.store import RunRecord, RunStatus, SectionWalk, walked_sections
from newscrawl.urls import story_url_prefix

_BATCH: Final = 500
_STATUSES: Final[dict[str, RunStatus]] = {"running": "running", "ok": "ok",
                                          "incomplete": "incomplete"}


class RedisRunBook:
    """The runs and stop points of one store; ``call`` turns Redis errors into ``StateError``
    as the rest of the store does."""

    def __init__(self, server: Any, prefix: str, call: Callable[..., Any]) -> None:
        self._server = server
        self._prefix = prefix
        self._call = call
        self._finish = server.register_script(FINISH_RUN)

    def _key(self, name: str) -> str:
        return f"{self._prefix}:{name}"

    def migrate_walks(self, schema_key: str, schema_version: int) -> None:
        """Schema 1 to 2 in one transaction: the latest ``ok`` run was the one section's point."""
        pipe = self._server.pipeline(transaction=True)
        last = self._server.get(self._key("last_ok"))
        if last:
            run = json.loads(last)
            pipe.hset(self._key("walks"), DEFAULT_SECTION.key, json.dumps(
                {"run_id": run["run_id"], "finished_at": run["finished_at"]}))
        pipe.hset(self._key("meta"), schema_key, schema_version)
        pipe.execute()

    def begin(self, run_id: str, started_at: str) -> None:
        record = {"run_id": run_id, "started_at": started_at, "finished_at": None,
                  "status": "running", "stories_committed": 0, "newest_published_at": None,
                  "newest_story_id": None}
        pipe = self._server.pipeline(transaction=True)
        pipe.hset(self._key("runs"), run_id, json.dumps(record))
        pipe.sadd(self._key("running"), run_id)
        self._call(pipe.execute)

    def finish(self, run_id: str, finished_at: str, status: RunStatus,
               walked: Iterable[str] | None = None) -> None:
        self._call(self._finish, keys=[self._prefix],
                   args=[self._prefix, run_id, finished_at, status,
                         *walked_sections(status, walked)])

    def last_successful(self) -> RunRecord | None:
        raw = self._call(self._server.get, self._key("last_ok"))
        return _run(json.loads(raw)) if raw else None

    def unfinished(self) -> list[str]:
        ids = [i.decode() for i in self._call(self._server.smembers, self._key("running"))]
        runs = [r for r in (self._run(i) for i in ids) if r is not None]
        return [r.run_id for r in sorted(runs, key=lambda r: (r.started_at, r.run_id))]

    def catch_up_story(self, section: Section = DEFAULT_SECTION) -> tuple[str, str] | None:
        """The newest story of ``section`` stored by its stop point's run (see
        ``StateStore.catch_up_story``)."""
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

    def walks(self) -> tuple[SectionWalk, ...]:
        """Every section's stop point, by section key."""
        walks = self._call(self._server.hgetall, self._key("walks"))
        return tuple(sorted((_walk(key, doc) for key, doc in walks.items()),
                            key=lambda walk: walk.section))

    def _run(self, run_id: str) -> RunRecord | None:
        raw = self._call(self._server.hget, self._key("runs"), run_id)
        return _run(json.loads(raw)) if raw else None


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
