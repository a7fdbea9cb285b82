"""RedisStateStore keeps the StateStore contract: every scenario runs on it and on the SQLite
store and must give the same answers; then what only the shared store must do (idempotent
commits for stories fetched twice, many clients)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from redis_server import RedisServer, free_port
from state.test_sqlite_store import RUN, stored

from newscrawl.redis_connection import ClusterUnsupportedError, refuse_cluster
from newscrawl.state.crawl import open_state_store
from newscrawl.state.redis_store import STAGING_TTL, RedisStateStore
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import SectionWalk, StateError, StateStore, StoredStory, StoryLookup

StoreFactory = Callable[[], StateStore]


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path,
               redis_server: RedisServer) -> Iterator[StoreFactory]:
    opened: list[StateStore] = []

    def make() -> StateStore:
        store: StateStore
        if request.param == "sqlite":
            store = SqliteStateStore(tmp_path / "state.sqlite")
        else:
            store = open_state_store(tmp_path / "unused", f"{redis_server.url}?prefix=t")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def scenario(store: StateStore) -> dict[str, object]:
    """A run's worth of store traffic; what every read answered."""
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    a = stored("a" * 16, published_at="2026-02-12T10:15:00+08:00")
    b = stored("b" * 16, content_hash="d" * 64, signature=None, signature_kind=None,
               published_at="2026-02-14T09:00:00+08:00", duplicate_of="a" * 16)
    c = stored("c" * 16, signature=b"\x09" * 8, published_at="2026-01-01T00:00:00+08:00")
    for story in (a, b, c):
        store.stage(story)
    answers: dict[str, object] = {"before": store.get(a.id),
                                  "lookup_before": store.lookup(a.id, a.content_hash)}
    answers["committed"] = store.commit(RUN, [a.id, b.id])
    answers["again"] = store.commit(RUN, [a.id])  # staged copy consumed
    answers["discarded"] = store.discard_staged()
    answers["get"] = store.get(a.id)
    answers["hash"] = store.ids_with_content_hash("c" * 64)
    answers["lookup"] = [store.lookup(a.id, "c" * 64), store.lookup(b.id, b.content_hash),
                         store.lookup("f" * 16, "c" * 64)]
    answers["signatures"] = [(r.id, r.first_seen, r.signature)
                             for r in store.signatures("minhash/test", "2026-02-01T00:00:00+08:00")]
    answers["known"] = sorted(store.known_stories())
    answers["unfinished"] = store.unfinished_runs()
    answers["catch_up_before_ok"] = store.catch_up_story()
    store.finish_run(RUN, "2026-11-27T01:00:00+00:00", "ok")
    answers["catch_up"] = store.catch_up_story()
    answers["last_ok"] = store.last_successful_run()
    new = replace(a, version=2, content_hash="e" * 64, field_digests={"title": "t2"},
                  last_seen="2026-11-28T00:00:00.000000+00:00")
    store.begin_run("run2", "2026-11-28T00:00:00+00:00")
    store.stage(new)
    answers["v2"] = store.commit("run2", [new.id])
    answers["v2_get"] = store.get(a.id)
    answers["old_hash_gone"] = store.ids_with_content_hash("c" * 64)
    store.touch([b.id], "2026-11-29T00:00:00.000000+00:00")
    answers["touched"] = store.get(b.id)
    store.finish_run("run2", "2026-11-28T01:00:00+00:00", "incomplete")
    answers["last_ok_after_incomplete"] = store.last_successful_run()
    stats = store.stats()
    answers["stats"] = (stats.stories, stats.revised_stories, stats.duplicates,
                        stats.oldest_published_at, stats.newest_published_at, stats.runs)
    store.reset()
    answers["after_reset"] = (store.get(a.id), list(store.known_stories()), store.stats().runs)
    return answers


def test_the_redis_store_answers_as_the_sqlite_store(tmp_path: Path,
                                                     redis_server: RedisServer) -> None:
    sqlite = SqliteStateStore(tmp_path / "state.sqlite")
    shared = RedisStateStore.from_url(f"{redis_server.url}?prefix=contract")
    try:
        expected, found = scenario(sqlite), scenario(shared)
    finally:
        sqlite.close()
        shared.close()
    assert found["committed"] == 2  # the scenario did something
    # One lookup answers what get and ids_with_content_hash answer.
    assert found["lookup"][0] == StoryLookup(found["get"], found["hash"])  # type: ignore[index]
    assert found == expected


def test_a_story_committed_twice_is_written_once(make_store: StoreFactory) -> None:
    # Two workers emitted the same story (a lease lapsed): the second commit writes nothing.
    first, second = make_store(), make_store()
    first.begin_run("w1", "2026-11-27T00:00:00+00:00")
    second.begin_run("w2", "2026-11-27T00:00:00+00:00")
    story = stored()
    first.stage(story)
    second.stage(replace(story, last_seen="2026-11-27T00:00:01.000000+00:00"))
    assert first.commit("w1", [story.id]) == 1
    written = second.commit("w2", [story.id])
    runs = {r: first.last_successful_run() for r in ("w1",)}
    assert runs  # both stores answer
    if isinstance(second, RedisStateStore):
        assert written == 0
        assert second.get(story.id) == story
    assert len(list(second.known_stories())) == 1


def test_an_unreachable_redis_is_a_state_error(tmp_path: Path) -> None:
    from redis_server import free_port

    with pytest.raises(StateError, match="cannot be reached"):
        RedisStateStore.from_url(f"redis://127.0.0.1:{free_port()}/0", outage_timeout=0)


def test_an_unknown_scheme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="redis://"):
        open_state_store(tmp_path, "postgres://somewhere/db")


def test_the_state_command_reads_a_redis_store(redis_server: RedisServer) -> None:
    import subprocess
    import sys

    url = f"{redis_server.url}?prefix=cmd"
    store = RedisStateStore.from_url(url)
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    store.stage(stored())
    store.commit(RUN, ["a" * 16])
    store.close()
    shown = subprocess.run([sys.executable, "-m", "newscrawl.cli", "state", "stats", "--state",
                            url], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "stories          1" in shown.stdout


def pending_scenario(store: StateStore) -> dict[str, object]:
    """Pending stories: saved, published (then never pending again), given up and re-queued."""
    from newscrawl.state.store import PendingEntry

    def entry(sid: str, **changes: object) -> PendingEntry:
        base = PendingEntry(id=sid, url=f"https://www.thestar.com.my/x/{sid}", via="listing",
                            referrer="", first_seen="2026-11-27T00:00:00+00:00", first_run=1)
        return replace(base, **changes)  # type: ignore[arg-type]

    answers: dict[str, object] = {}
    answers["first"] = store.begin_pending()
    a, b, c = "a" * 16, "b" * 16, "c" * 16
    answers["saved"] = store.save_pending(
        [entry(a, attempts=1, last_error="500"), entry(b), entry(c, given_up="2026-11-28")], [])
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    store.stage(stored(a))
    store.commit(RUN, [a])
    answers["after_commit"] = store.begin_pending()
    answers["saved_again"] = store.save_pending([entry(a, attempts=2)], [b])
    answers["stats"] = (store.stats().pending, store.stats().given_up)
    answers["requeued"] = store.requeue_given_up([entry(c).url])
    answers["end"] = store.begin_pending()
    return answers


def test_pending_stories_behave_alike_in_both_stores(tmp_path: Path,
                                                      redis_server: RedisServer) -> None:
    sqlite = SqliteStateStore(tmp_path / "state.sqlite")
    shared = open_state_store(tmp_path / "unused", f"{redis_server.url}?prefix=pending")
    try:
        assert pending_scenario(shared) == pending_scenario(sqlite)
    finally:
        sqlite.close()
        shared.close()


def test_workers_pending_stories_merge_alike_whichever_worker_finishes_first(
        redis_server: RedisServer) -> None:
    # Worker A found the stories, worker B fetched them: one failed, one was no story (settled),
    # one was published. Whatever order they save in, the store ends the same.
    from newscrawl.state.store import PendingEntry

    def found(sid: str, **changes: object) -> PendingEntry:
        base = PendingEntry(id=sid, url=f"https://www.thestar.com.my/x/{sid}", via="listing",
                            referrer="https://www.thestar.com.my/list", first_seen="t0",
                            first_run=1, due_run=1)
        return replace(base, **changes)  # type: ignore[arg-type]

    failed, gallery, published = "f" * 16, "g" * 16, "a" * 16
    met = [found(failed), found(gallery), found(published)]
    # B adopted what it fetched without knowing how it was found.
    decided = [found(failed, via="", referrer="", first_seen="t1", attempts=1,
                     last_error="http-500", due_run=2)]
    ends = []
    for order in ("met first", "decided first"):
        store = RedisStateStore.from_url(f"{redis_server.url}?prefix={order.replace(' ', '-')}")
        assert store.begin_crawl_pending("crawl")[0] == 1
        store.begin_run("b", "t0")
        store.stage(stored(published))
        store.commit("b", [published])
        saves = [([], met, []), (decided, [], [gallery])]
        for mine, others, settled in saves if order == "met first" else reversed(saves):
            store.merge_pending(1, mine, others, settled)
        assert store.begin_crawl_pending("crawl")[0] == 1  # one run for every worker
        ends.append(store.begin_crawl_pending("crawl")[1])
        store.close()
    assert ends[0] == ends[1] == [replace(decided[0], via="listing", first_seen="t0",
                                          referrer="https://www.thestar.com.my/list")]
    # Fetched again in the same run (a lapsed lease): still one attempt for the run.
    store = RedisStateStore.from_url(f"{redis_server.url}?prefix=met-first")
    store.merge_pending(1, [replace(decided[0], attempts=2, due_run=3)], [], [])
    assert store.begin_crawl_pending("crawl")[1] == ends[0]
    store.close()


def test_the_learned_list_rule_is_kept_alike_in_both_stores(make_store: StoreFactory) -> None:
    from newscrawl.state.list_rules import ListHistory, StoredListRule

    rule = StoredListRule('{"format": 1}', "fetch {origin}/api?path={val:page:path} -> items[]",
                          "run-1", "2026-12-01T12:00:00+00:00")
    rules = make_store().list_rules()
    assert rules.rule() is None
    assert rules.history() == ListHistory(0, None, None)
    rules.save_rule(rule)
    rules.save_rule(rule)
    rules.note_filled("run-1", "t1")
    rules.note_filled("run-1", "t2")  # the same run, another worker: still one run
    rules.note_filled("run-2", "t3")
    again = make_store().list_rules()  # another process, or the next run, sees it
    assert again.rule() == rule
    assert again.history() == ListHistory(2, "run-2", "t3")
    again.forget_rule()
    assert rules.rule() is None


def walks_scenario(store: StateStore) -> dict[str, object]:
    """Each section's stop point: moved only by a run that walked that section, never by
    another section's walk, and only to stories of its own section."""
    from newscrawl.sections import ASEANPLUS, SECTIONS_BY_KEY

    nation = SECTIONS_BY_KEY["news/nation"]
    asean = stored("a" * 16, published_at="2026-02-12T10:15:00+08:00")
    newer = stored("b" * 16, url="https://www.thestar.com.my/news/nation/2026/02/13/b",
                   published_at="2026-02-13T10:15:00+08:00")
    answers: dict[str, object] = {}
    store.begin_run("r1", "2026-11-27T00:00:00+00:00")
    for story in (asean, newer):
        store.stage(story)
    store.commit("r1", [asean.id, newer.id])
    # Nation's walk stopped short (max_pages, a failed page): only Aseanplus News moves.
    store.finish_run("r1", "2026-11-27T01:00:00+00:00", "incomplete", walked=[ASEANPLUS.key])
    answers["r1"] = (store.catch_up_story(ASEANPLUS), store.catch_up_story(nation),
                     store.catch_up_story(), store.last_successful_run())
    later = stored("c" * 16, url="https://www.thestar.com.my/news/nation/2026/02/14/c",
                   published_at="2026-02-14T10:15:00+08:00",
                   first_seen="2026-11-28T00:00:00.000000+00:00")
    store.begin_run("r2", "2026-11-28T00:00:00+00:00")
    store.stage(later)
    store.commit("r2", [later.id])
    store.finish_run("r2", "2026-11-28T01:00:00+00:00", "ok",
                     walked=[nation.key, ASEANPLUS.key])
    answers["r2"] = (store.catch_up_story(ASEANPLUS), store.catch_up_story(nation))
    # An older run finishing late never moves a point back.
    store.begin_run("r0", "2026-11-26T00:00:00+00:00")
    store.finish_run("r0", "2026-11-26T01:00:00+00:00", "ok", walked=[nation.key])
    answers["r0"] = store.catch_up_story(nation)
    answers["walks"] = store.stats().walks
    store.reset()
    answers["reset"] = (store.catch_up_story(ASEANPLUS), store.catch_up_story(nation))
    return answers


def test_each_section_keeps_its_own_stop_point_alike_in_both_stores(
        tmp_path: Path, redis_server: RedisServer) -> None:
    sqlite = SqliteStateStore(tmp_path / "state.sqlite")
    shared = open_state_store(tmp_path / "unused", f"{redis_server.url}?prefix=walks")
    try:
        expected, found = walks_scenario(sqlite), walks_scenario(shared)
    finally:
        sqlite.close()
        shared.close()
    assert found["r1"] == (("a" * 16, "2026-02-12T10:15:00+08:00"), None,
                           ("a" * 16, "2026-02-12T10:15:00+08:00"), None)
    assert found["r2"] == (("a" * 16, "2026-02-12T10:15:00+08:00"),
                           ("c" * 16, "2026-02-14T10:15:00+08:00"))
    assert found["r0"] == ("c" * 16, "2026-02-14T10:15:00+08:00")
    assert found["reset"] == (None, None)
    assert found["walks"] == (
        SectionWalk("aseanplus/aseanplus-news", "r2", "2026-11-28T01:00:00+00:00"),
        SectionWalk("news/nation", "r2", "2026-11-28T01:00:00+00:00"))
    assert found == expected


def test_a_redis_store_of_schema_1_keeps_its_stop_point_as_the_default_sections(
        redis_server: RedisServer) -> None:
    import redis as redis_client

    from newscrawl.sections import SECTIONS_BY_KEY

    url = f"{redis_server.url}?prefix=old"
    store = RedisStateStore.from_url(url)
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    store.stage(stored())
    store.commit(RUN, ["a" * 16])
    store.finish_run(RUN, "2026-11-27T01:00:00+00:00", "ok")
    store.close()
    raw = redis_client.Redis.from_url(redis_server.url)
    raw.delete("old:walks")  # what schema 1 had: last_ok, no walks
    raw.hset("old:meta", "schema_version", 1)
    migrated = RedisStateStore.from_url(url)
    try:
        assert migrated.catch_up_story() == ("a" * 16, "2026-02-12T10:15:00+08:00")
        assert migrated.catch_up_story(SECTIONS_BY_KEY["news/nation"]) is None
        assert int(raw.hget("old:meta", "schema_version") or 0) == 2
    finally:
        migrated.close()
        raw.close()


def _story_number(n: int) -> StoredStory:
    return stored(f"{n:016x}", content_hash=f"{n:064x}", field_digests={
        "title": f"t{n}", "body": f"b{n}", "authors": f"a{n}"}, signature=bytes(range(256)))


def test_staged_stories_wait_in_redis_not_in_the_workers_memory(
        redis_server: RedisServer) -> None:
    # A first run stages every story it emits until its feed is stored: what each staged
    # story costs in the worker, every worker pays. In Redis it costs the worker nothing.
    store = RedisStateStore.from_url(f"{redis_server.url}?prefix=t")
    store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
    stories = 2000
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    staged_bytes = 0
    for n in range(stories):
        story = _story_number(n)
        staged_bytes += len(story.url) + len(story.signature or b"") + 200
        store.stage(story)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < staged_bytes / 20, (grown, staged_bytes)
    client = redis_server.client()
    [staging] = client.keys("t:staged:*")
    assert client.hlen(staging) == store.staged_count == stories
    assert store.get(_story_number(0).id) is None  # staged is not stored

    assert store.commit(RUN, [_story_number(n).id for n in range(stories)]) == stories
    assert store.get(_story_number(7).id) == _story_number(7)  # the binary signature intact
    assert store.staged_count == 0 and not client.exists(staging)
    assert store.last_successful_run() is None and len(list(store.known_stories())) == stories
    store.close()


STAGE_AND_WAIT = """
import sys, time
sys.path.insert(0, sys.argv[3])
from state.test_sqlite_store import RUN, stored
from newscrawl.state.redis_store import RedisStateStore
store = RedisStateStore.from_url(sys.argv[1])
store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
for n in range(int(sys.argv[2])):
    store.stage(stored(f"{n:016x}"))
print(store.staged_count, flush=True)
time.sleep(600)
"""


def test_a_killed_workers_staged_stories_are_never_published(
        redis_server: RedisServer) -> None:
    url = f"{redis_server.url}?prefix=t"
    worker = subprocess.Popen(
        [sys.executable, "-c", STAGE_AND_WAIT, url, "5", str(Path(__file__).parents[1])],
        stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "5"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    client = redis_server.client()
    [staging] = client.keys("t:staged:*")
    assert client.hlen(staging) == 5  # left behind, with an end
    assert 0 < client.ttl(staging) <= STAGING_TTL

    # The next run (or another worker) neither sees nor commits them; its own are apart.
    store = RedisStateStore.from_url(url)
    ids = [f"{n:016x}" for n in range(5)]
    assert store.staged_count == 0
    assert store.commit("next", ids) == 0
    assert all(store.get(i) is None for i in ids) and not list(store.known_stories())
    assert store.unfinished_runs() == [RUN]  # nothing of it is published: recovery finds no feed
    store.stage(stored(ids[0]))
    assert store.discard_staged() == 1 and store.staged_count == 0
    assert client.hlen(staging) == 5
    store.close()


def test_staged_stories_redis_lost_are_said_not_passed_over(
        redis_server: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    # A Redis restarted without persistence forgets what a worker staged: its feed is
    # published, the stories are not recorded (the next run emits them again), and it says so.
    store = RedisStateStore.from_url(f"{redis_server.url}?prefix=t")
    store.stage(stored())
    store.stage(stored("b" * 16))
    client = redis_server.client()
    [staging] = client.keys("t:staged:*")
    client.hdel(staging, "b" * 16)
    assert store.commit(RUN, ["a" * 16, "b" * 16]) == 1
    assert "1 of 2 stories to record were no longer staged" in caplog.text
    store.close()


def test_a_redis_cluster_is_refused_when_the_store_opens(tmp_path: Path) -> None:
    # The commit script builds key names it cannot declare: fine on one server, keys of other
    # slots on a cluster. Refused at once, with the reason, not mid-commit.
    # Its bus on a port of its own: the default (port + 10000) is past 65535 for many ports.
    cluster = ("--cluster-enabled", "yes", "--cluster-port", str(free_port()))
    with RedisServer(tmp_path / "cluster", options=cluster) as server:
        with pytest.raises(StateError, match="Redis Cluster"):
            RedisStateStore.from_url(server.url)
        with pytest.raises(ClusterUnsupportedError):
            refuse_cluster(server.client(), server.url)
    with RedisServer(tmp_path / "single") as server:
        refuse_cluster(server.client(), server.url)  # one server: fine
