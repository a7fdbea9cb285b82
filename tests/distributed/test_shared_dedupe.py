"""Near-duplicate and exact-copy decisions are the same whichever worker fetches which story:
workers judge against one shared history, in one order, as a single process would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stories import BODY, crawler_for, make_story
from redis_server import RedisServer

from newscrawl.distributed.dedupe import UNREADABLE, SharedDedupePipeline
from newscrawl.items import StoryItem
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.redis_connection import ROUND_TRIPS
from newscrawl.state.redis_store import RedisStateStore
from newscrawl.state.store import StoredStory

WINDOW = {"NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS": 3650}


def stories() -> dict[str, StoryItem]:
    near = BODY.replace("capital", "city", 1).replace("Reuters", "AFP")
    return {
        "edited": make_story("rice-target-raised-again", body=near),
        "original": make_story("vietnam-raises-rice-export-target"),
        "other": make_story("floods-in-the-north", title="Floods in the north",
                            body=" ".join(reversed(BODY.split()))),
        "copy": make_story("vietnam-raises-rice-export-target-copy"),
    }


def worker(tmp_path: Path, server: RedisServer, name: str) -> SharedDedupePipeline:
    crawler = crawler_for(tmp_path / name, NEWSCRAWL_REDIS_URL=server.url,
                          NEWSCRAWL_STATE=f"{server.url}?prefix=state",
                          NEWSCRAWL_CRAWL_ID="shared", NEWSCRAWL_WORKER_NAME=name, **WINDOW)
    pipeline = SharedDedupePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def verdicts(pipeline: Any, items: list[StoryItem]) -> dict[str, str | None]:
    return {item.id: pipeline.process_item(item).duplicate_of for item in items}


def test_two_workers_decide_as_one_process_in_the_shared_order(
        tmp_path: Path, redis_server: RedisServer) -> None:
    s = stories()
    order = ["edited", "original", "other", "copy"]  # the order the shared log gets them
    single = DedupePipeline.from_crawler(crawler_for(tmp_path / "single", **WINDOW))
    single.open_spider()
    expected = verdicts(single, [stories()[k] for k in order])
    # The decisions the scenario is about: a near copy and an exact copy, of the first story.
    first = s["edited"].id
    assert expected == {first: None, s["original"].id: first, s["other"].id: None,
                        s["copy"].id: first}

    one, two = worker(tmp_path, redis_server, "w1"), worker(tmp_path, redis_server, "w2")
    found: dict[str, str | None] = {}
    found |= verdicts(one, [s["edited"]])
    found |= verdicts(two, [s["original"]])  # w2 never saw "edited" itself
    found |= verdicts(one, [s["other"]])
    found |= verdicts(two, [s["copy"]])
    assert found == expected
    # Each worker also knows the other's verdicts, as judged in the same order.
    one.process_item(make_story("a-later-story", title="Later", body="x " * 50))
    assert one._others_duplicate_of == {s["original"].id: first, s["copy"].id: first}


def store_earlier(server: RedisServer, item: StoryItem) -> None:
    """``item`` as an earlier run stored it."""
    store = RedisStateStore.from_url(f"{server.url}?prefix=state")
    long_ago = "2026-01-01T00:00:00.000000+00:00"
    store.stage(StoredStory(
        id=item.id, url=item.url, content_hash=item.content_hash, signature=None,
        signature_kind=None, field_digests={}, duplicate_of=None,
        published_at=item.published_at, modified_at=None, first_seen=long_ago,
        last_seen=long_ago, version=1))
    assert store.commit("earlier", [item.id]) == 1
    store.close()


def test_a_copy_of_a_stored_story_is_judged_alike_by_a_worker_that_did_not_read_it(
        tmp_path: Path, redis_server: RedisServer) -> None:
    s = stories()
    store_earlier(redis_server, s["original"])
    one, two = worker(tmp_path, redis_server, "w1"), worker(tmp_path, redis_server, "w2")
    assert verdicts(one, [s["copy"]]) == {s["copy"].id: s["original"].id}
    verdicts(two, [s["other"]])  # w2 judges w1's copy from the shared log
    assert two._others_duplicate_of == {s["copy"].id: s["original"].id}


def test_a_story_costs_one_state_lookup_however_many_others_the_log_brings(
        tmp_path: Path, redis_server: RedisServer) -> None:
    # Each worker judges every other worker's story too: with the stored copy its worker
    # found in the log entry, it asks the state nothing for them.
    one, two = worker(tmp_path, redis_server, "w1"), worker(tmp_path, redis_server, "w2")
    for n in range(5):
        one.process_item(make_story(f"story-{n}", title=f"Story {n}",
                                    body=f"word{n} " * 40 + BODY))
    before = ROUND_TRIPS["state"]
    two.process_item(make_story("w2-story", title="Another", body="other " * 50))
    assert len(two._others_duplicate_of) == 5
    assert ROUND_TRIPS["state"] - before == 1


def test_a_log_entry_of_another_format_is_counted_and_skipped_not_misread(
        tmp_path: Path, redis_server: RedisServer) -> None:
    # A run resumed across an upgrade: its log holds entries that another version wrote, the
    # first format's unmarked five fields among them.
    one = worker(tmp_path, redis_server, "w1")
    s = stories()
    sep = b"\x1f"
    signature = one._signer.to_bytes(one._signer.sign(s["original"].body))
    unmarked = sep.join((s["original"].id.encode(), s["original"].content_hash.encode(), b"",
                         b"", signature))
    log = "newscrawl:run:shared:dedupe-log"
    redis_server.client().rpush(log, unmarked, b"v9" + sep + b"what a later version writes")
    # The copy of "original" is judged without the entries it cannot read: not a duplicate
    # of a story read from an entry it misread.
    assert verdicts(one, [s["copy"]]) == {s["copy"].id: None}
    assert one._stats.get_value(UNREADABLE) == 2
    assert one._others_duplicate_of == {}
