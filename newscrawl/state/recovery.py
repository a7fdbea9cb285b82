"""Recovery before a run: commit what a killed run published but did not record as seen.

A run publishes its story feed (``<data_dir>/runs/<run_id>.jsonl``, renamed into place whole)
and then commits the feed's stories to the store. A run killed between the two left a feed
that readers take as published while the store still calls its stories unseen; the next run
would emit them again. So before a run starts, every run the store still calls ``running``
whose feed is in place has that feed's stories committed from the file (the feed is the
source of truth) and is closed as ``incomplete``. A run killed before its feed was published
has nothing to recover: its stories were never emitted, and the next run emits them.

Records already stored at their version or a later one are skipped, so recovering a run whose
commit did happen (killed just after it) writes nothing, and doing it twice is harmless.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawl.data_layout import feed_name
from newscrawl.fingerprint import MinHashSigner, field_digests
from newscrawl.state.store import StateStore, StoredStory

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recovered:
    """What recovery did: runs closed (with a feed in place), and stories committed."""

    runs: tuple[str, ...] = ()
    stories: int = 0


def run_feed(runs_dir: Path, run_id: str) -> Path:
    """Where a run's story feed is published (the default ``FEEDS`` of the project)."""
    return runs_dir / feed_name(run_id)


def recover_published_feeds(store: StateStore, runs_dir: Path, permutations: int,
                            now: str) -> Recovered:
    """Commit the stories of every published feed whose run never finished; see the module."""
    runs: list[str] = []
    stories = 0
    signer: MinHashSigner | None = None
    for run_id in store.unfinished_runs():
        path = run_feed(runs_dir, run_id)
        if not path.is_file():
            continue  # killed before publishing (or a -O feed elsewhere): nothing was emitted
        signer = signer or MinHashSigner(permutations)
        try:
            records, bad_lines = _newest_versions(path)
        except OSError as error:
            # Unreadable (permissions, I/O error): close the run anyway, or every later crawl
            # would find it still running and fail the same way before it starts.
            logger.error(
                "State: run %s was killed after publishing %s, which cannot be read (%s); its "
                "stories are not recorded as seen and the next crawl may emit them again",
                run_id, path, error,
            )
            store.finish_run(run_id, now, "incomplete")
            runs.append(run_id)
            continue
        ids: list[str] = []
        for record in records:
            story = _stored_story(record, store, signer, now)
            if story is not None:
                store.stage(story)
                ids.append(story.id)
        committed = store.commit(run_id, ids)
        store.finish_run(run_id, now, "incomplete")
        runs.append(run_id)
        stories += committed
        logger.warning(
            "State: run %s was killed after publishing %s; %d of its stories recorded as seen "
            "from the feed (%d bad lines skipped)", run_id, path, committed, bad_lines,
        )
    return Recovered(tuple(runs), stories)


def _newest_versions(path: Path) -> tuple[list[Mapping[str, Any]], int]:
    """The records of a feed, one per id (its highest version: an appended feed may hold more),
    and how many lines were not story records (bad UTF-8, bad JSON, no id or version).

    Read as bytes and decoded line by line, so one bad byte skips its line, not the feed.
    Raises ``OSError`` when the file cannot be read.
    """
    newest: dict[str, Mapping[str, Any]] = {}
    bad_lines = 0
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                story_id, version = str(record["id"]), int(record["version"])
            except (ValueError, KeyError, TypeError, OverflowError) as error:
                # UnicodeDecodeError is a ValueError. A published feed is whole (renamed into
                # place); a bad line is someone's edit or a damaged disk.
                bad_lines += 1
                logger.error("State: line %d of %s is not a story record (%s); skipped",
                             number, path, error)
                continue
            known = newest.get(story_id)
            if known is None or int(known["version"]) < version:
                newest[story_id] = record
    return list(newest.values()), bad_lines


def _stored_story(record: Mapping[str, Any], store: StateStore, signer: MinHashSigner,
                  now: str) -> StoredStory | None:
    """What ``VersionPipeline`` staged for ``record``, rebuilt from it; None if already stored."""
    stored = store.get(str(record["id"]))
    version = int(record["version"])
    if stored is not None and stored.version >= version:
        return None
    try:
        body = str(record.get("body") or "")
        return StoredStory(
            id=str(record["id"]),
            url=str(record["url"]),
            content_hash=str(record["content_hash"]),
            # The signature is not in the record; the body it was made from is.
            signature=signer.to_bytes(signer.sign(body)),
            signature_kind=signer.kind,
            # Same values the pipeline digested: the record's JSON round-trips them unchanged.
            field_digests=field_digests(record),
            duplicate_of=record.get("duplicate_of"),
            published_at=str(record["published_at"]),
            modified_at=record.get("modified_at"),
            first_seen=stored.first_seen if stored else str(record.get("crawled_at") or now),
            last_seen=str(record.get("crawled_at") or now),
            version=version,
        )
    except (KeyError, TypeError, ValueError) as error:
        logger.error("State: record %s cannot be recovered: %r", record.get("url"), error)
        return None
