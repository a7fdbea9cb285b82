"""Near-duplicate and exact-copy decisions are the same whichever worker fetches which story:
workers judge against one shared history, in one order, as a single process would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stories import BODY, crawler_for, make_story
from redis_server import RedisServer

from newscrawl.distributed.dedupe import SharedDedupePipeline
from newscrawl.items import StoryItem
from newscrawl.pipelines.dedupe import DedupePipeline

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
