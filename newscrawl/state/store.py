"""What the crawl remembers between runs, as an interface small enough for another backend.

``SqliteStateStore`` is the default (one file, no server). A Redis-backed store for scale-out
implements the same ``StateStore`` protocol: every method is a key lookup, a short scan of one
index (content hash, recent signatures) or a batch write, with no SQL-only feature behind it.

Writes follow the crawl's durability contract (see ``newscrawl.state.commit``): the pipelines
``stage`` a story while it travels to the feed, and ``commit`` makes it seen only once the feed
holding it is stored. Until then a story is only staged (in memory, or in space that dies with
the run, such as SQLite's temporary database), so a killed run loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from newscrawl.sections import DEFAULT_SECTION, Section

if TYPE_CHECKING:
    from newscrawl.state.list_rules import ListRuleStore

RunStatus = Literal["running", "ok", "incomplete"]


class StateError(RuntimeError):
    """The state store cannot be used as it is; the message names the file and what to do."""


@dataclass(frozen=True, slots=True)
class StoredStory:
    """One story as the store holds it: identity, fingerprints and when it was seen."""

    id: str
    url: str
    content_hash: str
    # The near-duplicate signature (MinHash values) and the recipe that made it; signatures of
    # another recipe are not comparable and are ignored, never mixed.
    signature: bytes | None
    signature_kind: str | None
    # One short digest per tracked field, so a new version can say which fields changed.
    field_digests: Mapping[str, str]
    duplicate_of: str | None
    published_at: str
    modified_at: str | None
    first_seen: str
    last_seen: str
    version: int


@dataclass(frozen=True, slots=True)
class RunRecord:
    run_id: str
    started_at: str
    finished_at: str | None
    status: RunStatus
    stories_committed: int
    newest_published_at: str | None
    newest_story_id: str | None


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """A story URL seen in a listing, feed or link and not yet published (see ``pending``).

    ``attempts`` counts the runs whose try failed; ``due_run`` is the first run (in the store's
    run count) that may try again; ``given_up`` is when the story was given up, or None.
    """

    id: str
    url: str
    via: str
    referrer: str
    first_seen: str
    first_run: int
    attempts: int = 0
    last_error: str | None = None
    last_tried: str | None = None
    due_run: int = 0
    given_up: str | None = None
    # The page was fetched and quarantined (bad page or record), not a transport failure.
    quarantined: bool = False


@dataclass(frozen=True, slots=True)
class SectionWalk:
    """A section's stop point: the latest run that walked its listing to the end."""

    section: str
    run_id: str
    finished_at: str


@dataclass(frozen=True, slots=True)
class StoreStats:
    location: str
    schema_version: int
    stories: int
    revised_stories: int  # version > 1
    duplicates: int  # duplicate_of set
    oldest_published_at: str | None
    newest_published_at: str | None
    runs: int
    last_successful_run: RunRecord | None
    size_bytes: int
    pending: int = 0  # not given up
    given_up: tuple[PendingEntry, ...] = ()
    walks: tuple[SectionWalk, ...] = ()  # by section key


@dataclass(frozen=True, slots=True)
class SignatureRow:
    id: str
    first_seen: str
    signature: bytes


@dataclass(frozen=True, slots=True)
class StoryLookup:
    """What the store knows of a story read now: its stored version, and ``(id, first_seen)``
    of the stored stories with its content hash, oldest first."""

    stored: StoredStory | None
    same_content: list[tuple[str, str]]


class StateStore(Protocol):
    @property
    def location(self) -> str:
        """Where the state lives (a path, a URL), for messages."""
        ...

    def get(self, story_id: str) -> StoredStory | None: ...

    def ids_with_content_hash(self, content_hash: str) -> list[tuple[str, str]]:
        """``(id, first_seen)`` of the stored stories with this content hash, oldest first."""
        ...

    def lookup(self, story_id: str, content_hash: str) -> StoryLookup:
        """``get`` and ``ids_with_content_hash`` together: one round trip to a shared store,
        for every story a crawl reads."""
        ...

    def signatures(self, kind: str, published_since: str) -> Iterator[SignatureRow]:
        """Signatures of ``kind`` for stories published at or after ``published_since``."""
        ...

    def known_stories(self) -> Iterator[tuple[str, str]]:
        """``(id, published_at)`` of every stored story: read once when a run starts."""
        ...

    def catch_up_story(self, section: Section = DEFAULT_SECTION) -> tuple[str, str] | None:
        """``(id, published_at)`` of the newest story of ``section`` (by its URL) stored when
        the last run that walked the section's listing to its end (``finish_run``'s
        ``walked``) ended.

        Such a run walked the listing back until it met known stories past the catch-up
        story of the run before it, so every listed story older than this one is stored. A
        run walks back at least to it: stories that runs cut short (killed, capped, timed out)
        stored since then may sit above stories nobody fetched. None without such a run: each
        section has its own point, so one section's progress never ends another's walk.
        """
        ...

    def unfinished_runs(self) -> list[str]:
        """Ids of runs begun and never finished (killed, or still running), oldest first."""
        ...

    def stage(self, story: StoredStory) -> None:
        """Hold ``story``, for this run only, until ``commit`` names it; a later stage replaces
        it."""
        ...

    def commit(self, run_id: str, story_ids: Iterable[str]) -> int:
        """Write the named staged stories in one transaction; return how many were written.

        The same transaction removes them from the pending stories: published is not pending.
        """
        ...

    def begin_pending(self) -> tuple[int, list[PendingEntry]]:
        """Count one more run that retries pending stories; return its number (1, 2, ...) and
        every pending entry, given up or not."""
        ...

    def save_pending(self, entries: Iterable[PendingEntry], settled: Iterable[str]) -> int:
        """In one transaction: write ``entries`` (except stories stored by now, which are
        published) and remove the ``settled`` ids; return how many entries were written."""
        ...

    def requeue_given_up(self, urls: Iterable[str] | None = None) -> int:
        """Make given-up stories (those at ``urls``, or all) due on the next run, with their
        attempts forgotten; return how many."""
        ...

    def discard_staged(self) -> int:
        """Forget staged stories that will never be committed; return how many."""
        ...

    def touch(self, story_ids: Iterable[str], seen_at: str) -> None:
        """Record that unchanged stories were seen again (``last_seen``)."""
        ...

    def begin_run(self, run_id: str, started_at: str) -> None: ...

    def finish_run(self, run_id: str, finished_at: str, status: RunStatus,
                   walked: Iterable[str] | None = None) -> None:
        """Close the run; ``walked``: keys of the sections whose listing walk it completed
        (``walked_sections``: None means the default section's when ``status`` is ``ok``)."""
        ...

    def last_successful_run(self) -> RunRecord | None: ...

    def stats(self) -> StoreStats: ...

    def reset(self) -> None:
        """Forget every story, run and pending story."""
        ...

    def list_rules(self) -> ListRuleStore:
        """The learned "Others Also Read" rule and list history (``state.list_rules``)."""
        ...

    def close(self) -> None: ...


def walked_sections(status: RunStatus, walked: Iterable[str] | None) -> tuple[str, ...]:
    """The sections whose stop-when-seen point a finished run moves. A caller that names none
    speaks of a single-section crawl: an ``ok`` run walked the default section."""
    if walked is None:
        return (DEFAULT_SECTION.key,) if status == "ok" else ()
    return tuple(dict.fromkeys(walked))
