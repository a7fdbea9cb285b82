"""Distributed crawls: a real Redis per test (started on a free port, stopped by PID) and
worker processes crawling a replica together.

No ``__init__.py`` here, as in tests/incremental: the crawl helpers are imported by name.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "e2e"), str(TESTS / "incremental"), str(TESTS),
                str(Path(__file__).parent)]

from redis_server import RedisServer, redis_binary  # noqa: E402


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if redis_binary() is None:
        pytest.fail("redis-server is not installed: `make setup` installs it")
    with RedisServer(tmp_path / "redis") as server:
        yield server
