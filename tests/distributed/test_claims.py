"""A story two workers fetched goes into one feed: the claimant's while it lives, another
worker's once it died (a page of the dead worker comes back to the queue, and whoever leases
it must emit the story, even a worker that handed its own copy over before)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipelines.stories import crawler_for, make_story
from redis_server import RedisServer
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from newscrawl.distributed.claims import OTHER_WORKER
from newscrawl.distributed.runtime import runtime_for
from newscrawl.distributed.settings import (
    CLAIM_PIPELINE,
    SHARED_DEDUPE,
    apply_distributed_settings,
)
from newscrawl.items import StoryItem

VERSION = "newscrawl.pipelines.version.VersionPipeline"
# The pipelines that hold what a worker emitted in this run, or that drop for another worker.
RUN_MEMORY = (SHARED_DEDUPE, VERSION, CLAIM_PIPELINE)


def worker_pipelines(tmp_path: Path, server: RedisServer, name: str) -> tuple[Crawler, list[Any]]:
    """Worker ``name``'s item pipelines of the shared crawl, in the order the crawl runs them
    (the project's ``ITEM_PIPELINES`` switched by ``apply_distributed_settings``)."""
    settings = {"NEWSCRAWL_REDIS_URL": server.url, "NEWSCRAWL_STATE": f"{server.url}?prefix=st",
                "NEWSCRAWL_CRAWL_ID": "claims", "NEWSCRAWL_WORKER_NAME": name}
    project = Settings()
    project.setmodule("newscrawl.settings", priority="project")
    for key, value in settings.items():
        project.set(key, value, priority="cmdline")
    apply_distributed_settings(project, "claims")
    order = project.getdict("ITEM_PIPELINES")
    crawler = crawler_for(tmp_path / name, **settings)
    pipelines = [load_object(path).from_crawler(crawler)
                 for path in sorted(RUN_MEMORY, key=lambda path: order[path])]
    for pipeline in pipelines:
        if hasattr(pipeline, "open_spider"):
            pipeline.open_spider()
    runtime_for(crawler).book.register(ttl=60)  # alive: its heartbeat, without the thread
    return crawler, pipelines


def emit(pipelines: list[Any], item: StoryItem) -> bool:
    """Whether the worker puts ``item`` in its feed."""
    try:
        for pipeline in pipelines:
            item = pipeline.process_item(item)
    except DropItem:
        return False
    return True


def lapse(server: RedisServer, crawler: Crawler) -> None:
    """The worker's heartbeat lapses, as when it is killed: its key expires."""
    runtime = runtime_for(crawler)
    client = server.client()
    client.pexpire(runtime.keys.alive(runtime.worker), 1)
    while client.exists(runtime.keys.alive(runtime.worker)):
        time.sleep(0.01)


def test_a_copy_handed_to_a_claimant_that_died_is_emitted_when_its_page_comes_back(
        tmp_path: Path, redis_server: RedisServer) -> None:
    # Two copies of one story: a long story's first page fetched again after a kill sends
    # its continuation (dont_filter) to the queue a second time.
    claimant, claimant_pipelines = worker_pipelines(tmp_path, redis_server, "b")
    other, other_pipelines = worker_pipelines(tmp_path, redis_server, "y")
    assert emit(claimant_pipelines, make_story())
    assert not emit(other_pipelines, make_story())  # "b" emits it, and lives
    assert other.stats is not None and other.stats.get_value(OTHER_WORKER) == 1
    # "b" is killed before publishing its feed: its pages go back to the queue and "y" leases
    # the one that holds the story. Nobody else will fetch it again in this run.
    lapse(redis_server, claimant)
    assert emit(other_pipelines, make_story()), "the story is in no worker's feed"


def test_a_worker_emits_a_story_once_whatever_claims_it(
        tmp_path: Path, redis_server: RedisServer) -> None:
    _, pipelines = worker_pipelines(tmp_path, redis_server, "w")
    assert emit(pipelines, make_story())
    assert not emit(pipelines, make_story())

