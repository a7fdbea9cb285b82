"""The reading pool (``newscrawl.spiders.read_pool``) with real spawned workers: a page comes back
read as in-process; a worker killed or a result that does not pickle costs no page (None: the
spider reads it, counted); the pool is rebuilt, then abandoned; closed, it leaves no process.
``NEWSCRAWL_READ_PROCESSES`` is read once into the config, and a bad value is refused."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest
from process_table import processes

from newscrawl.config import ConfigError, NewscrawlConfig
from newscrawl.reading.story_read import StoryRead, read_story
from newscrawl.spiders.read_pool import MAX_REBUILDS, StoryReadPool
from tests.pages.fixtures import PAGES_DIR, load_index
from tests.reading import readers


class Stats:
    """The two calls the pool makes on Scrapy's stats collector."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value


def a_story() -> tuple[str, str]:
    name = next(n for n, e in sorted(load_index().items())
                if e.get("variant") == "as-served" and not n.startswith("bad-page"))
    return load_index()[name]["url"], (PAGES_DIR / f"{name}.html").read_text(encoding="utf-8")


def spawned_children() -> set[int]:
    """This process's children that are reading workers."""
    return {row.pid for row in processes() if row.parent == os.getpid() and row.reading_worker}


@pytest.fixture
def stats() -> Stats:
    return Stats()


@pytest.fixture
def pools() -> Iterator[list[StoryReadPool]]:
    made: list[StoryReadPool] = []
    yield made
    for pool in made:
        pool.close()


def read(pool: StoryReadPool, *urls: str) -> list[StoryRead | None]:
    _, html = a_story()

    async def all_of() -> list[StoryRead | None]:
        return list(await asyncio.gather(
            *(pool.read(url, "http://127.0.0.1/page", html, None, None) for url in urls)))

    return asyncio.run(all_of())


def test_a_page_comes_back_as_read_here_and_the_pool_leaves_no_process(
        stats: Stats, pools: list[StoryReadPool]) -> None:
    url, html = a_story()
    pool = StoryReadPool(1, stats)  # type: ignore[arg-type]
    pools.append(pool)
    [got] = read(pool, url)
    assert got == read_story(url, "http://127.0.0.1/page", html, None)
    assert stats.values == {"newscrawl/read_pool/read": 1}
    assert spawned_children()
    pool.close()
    assert spawned_children() == set()


def test_a_result_that_does_not_pickle_is_read_by_the_caller(
        stats: Stats, pools: list[StoryReadPool]) -> None:
    url, _ = a_story()
    pool = StoryReadPool(1, stats, readers.unpicklable)  # type: ignore[arg-type]
    pools.append(pool)
    assert read(pool, "bad") == [None]
    assert stats.values["newscrawl/read_pool/fallback/unpicklable"] == 1
    assert pool.running and read(pool, url)[0] is not None  # the pool itself reads on
    assert "newscrawl/read_pool/broken" not in stats.values


def test_a_killed_worker_costs_no_page_and_the_pool_is_rebuilt(
        stats: Stats, pools: list[StoryReadPool]) -> None:
    url, _ = a_story()
    pool = StoryReadPool(1, stats, readers.dies)  # type: ignore[arg-type]
    pools.append(pool)
    got = read(pool, "kill", url, url)  # every page in flight when it died comes back None
    assert got[0] is None
    fell_back = stats.values["newscrawl/read_pool/fallback/broken"]
    assert fell_back == got.count(None) >= 1
    assert stats.values["newscrawl/read_pool/broken"] == 1
    assert stats.values["newscrawl/read_pool/rebuilt"] == 1
    assert read(pool, url)[0] is not None  # a new pool reads on
    assert pool.running


def test_a_pool_that_keeps_breaking_is_abandoned(stats: Stats,
                                                  pools: list[StoryReadPool]) -> None:
    pool = StoryReadPool(1, stats, readers.dies)  # type: ignore[arg-type]
    pools.append(pool)
    for n in range(MAX_REBUILDS + 1):
        assert pool.running
        assert read(pool, f"kill-{n}") == [None]
    assert not pool.running
    assert stats.values["newscrawl/read_pool/abandoned"] == 1
    assert stats.values["newscrawl/read_pool/rebuilt"] == MAX_REBUILDS
    assert spawned_children() == set()


@pytest.mark.parametrize(("raw", "expected"), [(None, 0), ("0", 0), ("2", 2), (1, 1)])
def test_the_setting_is_read_into_the_config(raw: Any, expected: int) -> None:
    settings = {} if raw is None else {"NEWSCRAWL_READ_PROCESSES": raw}
    assert NewscrawlConfig.from_settings(settings).read_processes == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("-1", "NEWSCRAWL_READ_PROCESSES=-1 is outside 0..64"),
    ("1.5", "NEWSCRAWL_READ_PROCESSES='1.5' is not a whole number"),
    ("two", "NEWSCRAWL_READ_PROCESSES='two' is not a whole number"),
])
def test_a_bad_setting_is_refused_by_name(raw: str, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        NewscrawlConfig.from_settings({"NEWSCRAWL_READ_PROCESSES": raw})
    assert str(refused.value) == message
