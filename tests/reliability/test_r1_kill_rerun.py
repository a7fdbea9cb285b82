"""R1: a 2,000-article crawl SIGKILLed at 20 seeded random moments, rerun after each kill, then
run to the end: every story published exactly once, none lost, no half-written visible file.

Each run is killed at its own seeded moment, a fraction of the run drawn from 0 to 1.15: below
1, when the replica has served that share of the listed stories to the run; above 1, that long
(up to ``CLOSE_SECONDS``) after the run fetched its last story, in the closing phase where the
feed is stored and the state commits. A run publishes its feed only once complete, so a run
killed before that starts the next one from scratch; one that got past it leaves the next an
incremental run. The kill is SIGKILL on the whole process group: no shutdown of any kind.
"""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from crawl_runs import crawl, duplicated, published, truncated_files
from crawling import SiteTruth, kill_crawl, start_crawl

from newscrawl.replica import ReplicaServer

# Twenty runs of up to 2,000 stories each, on a shared 2-core machine.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]
ReplicaFactory = Callable[..., ReplicaServer]
ARTICLES = 2000
KILLS = 20
SEED = 20261201
CLOSE_SECONDS = 3.0
POLL_SECONDS = 0.02


def stories_served(server: ReplicaServer) -> int:
    return sum(1 for path in server.requests() if path.count("/") > 3)


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    while not condition() and process.poll() is None:
        time.sleep(POLL_SECONDS)


def test_r1_sigkill_at_20_random_moments_loses_and_repeats_nothing(
        replica_factory: ReplicaFactory, tmp_path: Path,
        record_figure: Callable[[str, object], None]) -> None:
    server = replica_factory(articles=ARTICLES, seed=3)
    truth = SiteTruth.of(server.site)
    listed = len(truth.listed)
    rng = random.Random(SEED)
    fractions = sorted(rng.uniform(0.0, 1.15) for _ in range(KILLS))
    started = time.monotonic()
    kills = closing_kills = 0
    for number, fraction in enumerate(fractions, 1):
        server.reset_requests()  # stories served to this run only
        process = start_crawl(tmp_path, {"base_url": server.origin, "render": "never"},
                              run_id=f"r1-{number:02d}", user_feed=False)
        target = min(fraction, 1.0) * listed
        wait_until(lambda: stories_served(server) >= target, process)  # noqa: B023
        if fraction > 1.0:
            deadline = time.monotonic() + (fraction - 1.0) / 0.15 * CLOSE_SECONDS
            wait_until(lambda: time.monotonic() >= deadline, process)  # noqa: B023
        if process.poll() is not None:
            assert process.returncode == 0, kill_crawl(process)[-2000:]
            continue  # this run ended before its moment: the next one is incremental
        kill_crawl(process)
        kills += 1
        closing_kills += fraction > 1.0
        records = published(tmp_path)
        assert duplicated(records) == set(), f"after kill {number}"
        assert truncated_files(tmp_path) == [], f"after kill {number}"
    final = crawl(tmp_path, server, "r1-final")
    seconds = time.monotonic() - started
    assert final.returncode == 0, final.stderr[-2000:]
    records = published(tmp_path)
    lost = truth.listed - {r["url"] for r in records}
    twice = duplicated(records)
    record_figure("R1 kills (SIGKILL, seeded moments) / runs", f"{kills} / {KILLS + 1}")
    record_figure("R1 kills in the closing phase (feed store, commit)", closing_kills)
    record_figure("R1 stories published / listed", f"{len(records)} / {listed}")
    record_figure("R1 lost", len(lost))
    record_figure("R1 duplicated", len(twice))
    record_figure("R1 truncated visible files", len(truncated_files(tmp_path)))
    record_figure("R1 seconds (kills + reruns)", round(seconds, 1))
    # A moment in the fetch phase always lands; one in the closing phase may fall after the run's
    # end (the instant between publishing and committing has its own test: test_kill_rerun.py).
    fetch_phase = sum(1 for fraction in fractions if fraction <= 1.0)
    assert kills >= fetch_phase, f"{kills} kills, {fetch_phase} moments in the fetch phase"
    assert lost == set()
    assert twice == set()
    assert {r["url"] for r in records} <= truth.in_scope
    assert truncated_files(tmp_path) == []
