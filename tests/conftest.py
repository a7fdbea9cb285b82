"""Shared fixtures: a running replica of the site (see newscrawl/replica) for any test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newscrawl.replica import FaultPlan, ReplicaServer, Site, load_site, synthetic_site

ReplicaFactory = Callable[..., ReplicaServer]


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """The replica over the project's fixtures/site, on a free port, for the whole session."""
    with ReplicaServer(load_site()) as server:
        yield server


@pytest.fixture
def replica_factory() -> Iterator[ReplicaFactory]:
    """Start replicas with a custom data dir, synthetic size or fault plan; all stop at teardown.

    ``start(data_dir=None, *, site=None, articles=None, seed=1, faults=None)``: ``faults`` is a
    ``FaultPlan`` or a list of ``--fault`` specs such as ``["error=0.2"]``.
    """
    servers: list[ReplicaServer] = []

    def start(data_dir: Path | str | None = None, *, site: Site | None = None,
              articles: int | None = None, seed: int = 1,
              faults: FaultPlan | list[str] | None = None) -> ReplicaServer:
        if site is None:
            site = synthetic_site(articles, seed) if articles is not None else load_site(data_dir)
        plan = FaultPlan.parse(faults) if isinstance(faults, list) else faults
        server = ReplicaServer(site, plan).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
