"""Stories that failed once come back: pending stories across real crawls of the replica, the
listing walk's completeness, and a failed state commit (see ``newscrawl.state.pending``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from crawl_runs import crawl, duplicated, published
from crawling import REPO, SiteTruth

from newscrawl.replica import FaultPlan, ReplicaServer
from newscrawl.replica.router import SERVER_ERROR, Response, html
from newscrawl.replica.site import SECTION_PATH
from newscrawl.settings import EXTENSIONS
from newscrawl.state import pending
from newscrawl.state.sqlite_store import SqliteStateStore

pytestmark = pytest.mark.e2e
ReplicaFactory = Callable[..., ReplicaServer]
HERE = Path(__file__).resolve().parent
NO_RETRIES = "RETRY_ENABLED=False"  # one try per run, so a fault is a failed story


def state(workdir: Path) -> SqliteStateStore:
    return SqliteStateStore(workdir / "state.sqlite")


def monitor_alarms(workdir: Path) -> set[str]:
    report = json.loads((workdir / "data" / "monitors.json").read_text(encoding="utf-8"))
    return set(report["failed"])


def stories_requested(server: ReplicaServer) -> dict[str, int]:
    return {path: n for path, n in server.requests().items() if path.count("/") > 3}


def state_command(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSCRAWL_DATA_DIR": str(workdir / "data")}
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "state", *args, "--state",
         str(workdir / "state.sqlite")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_stories_that_failed_are_fetched_first_by_the_next_run(
        replica_factory: ReplicaFactory, tmp_path: Path) -> None:
    server = replica_factory(faults=FaultPlan.parse(["error=0.3"], seed=4))
    truth = SiteTruth.of(server.site)
    first = crawl(tmp_path, server, "run1", NO_RETRIES)
    assert first.returncode == 0, first.stderr[-2000:]
    failed = truth.listed - set(first.urls)
    assert failed, "the seed no longer fails any story"
    assert first.stat("newscrawl/listing_stop") == "no next page"  # a complete walk
    store = state(tmp_path)
    entries = {e.url: e for e in store.begin_pending()[1]}
    store.close()
    # (A story linked only from a failed one's page is met by the next run, not this one.)
    assert failed & set(entries)
    # A long story whose continuation met the same fault fails as body-incomplete instead.
    errors = {entries[url].last_error for url in failed & set(entries)}
    assert "http-500" in errors and errors <= {"http-500", "parse: body-incomplete"}
    assert first.stat(pending.LEFT_NEW) + first.stat(pending.QUARANTINED) == len(entries)
    # The quarantined bad pages are pending too, counted apart.
    # (and long stories whose continuation failed: quarantined body-incomplete, not published cut).
    assert {url for url, e in entries.items()
            if e.quarantined and e.last_error != "parse: body-incomplete"} <= set(truth.bad)

    server.faults = FaultPlan()
    second = crawl(tmp_path, server, "run2")
    assert second.returncode == 0, second.stderr[-2000:]
    assert set(second.urls) >= failed
    assert second.stat(pending.RETRIED) == len(entries)
    assert second.stat(pending.PUBLISHED) == len(failed & set(entries))
    assert second.stat(pending.LEFT_OLD) == 0
    assert second.stat(pending.QUARANTINED) == len(truth.bad)  # still bad: tried, not alarmed
    assert not {a for a in monitor_alarms(tmp_path) if a.startswith("pending")}
    records = published(tmp_path)
    assert {r["url"] for r in records} == truth.listed
    assert duplicated(records) == set()


def test_a_story_that_keeps_failing_is_given_up_listed_and_requeued(
        replica_factory: ReplicaFactory, tmp_path: Path) -> None:
    server = replica_factory(articles=12, seed=2, faults=["error=1"])
    truth = SiteTruth.of(server.site)
    give_up = "NEWSCRAWL_PENDING_GIVE_UP_RUNS=2"
    # A gallery that cannot be fetched is not known to be one: it is pending like a story.
    met = len(truth.listed | truth.galleries)
    first = crawl(tmp_path, server, "run1", NO_RETRIES, give_up)
    assert (first.returncode, first.records) == (0, []), first.stderr[-2000:]
    assert first.stat(pending.LEFT_NEW) == met
    second = crawl(tmp_path, server, "run2", NO_RETRIES, give_up)
    assert second.stat(pending.RETRIED) == met
    assert second.stat(pending.GAVE_UP) == second.stat(pending.GIVEN_UP) == met
    assert "pending/given-up" in monitor_alarms(tmp_path)

    shown = state_command(tmp_path, "stats")
    assert shown.returncode == 0, shown.stderr
    assert f"given up         {met}" in shown.stdout
    assert all(url in shown.stdout for url in truth.listed)
    assert "last error: http-500" in shown.stdout

    server.faults = FaultPlan()
    before = stories_requested(server)
    third = crawl(tmp_path, server, "run3")  # given up: not fetched, though listed again
    assert third.returncode == 0 and third.records == []
    assert stories_requested(server) == before
    assert third.stat(pending.SKIPPED_GIVEN_UP) == met

    requeued = state_command(tmp_path, "retry")
    assert requeued.returncode == 0, requeued.stderr
    assert f"Re-queued {met} given-up stories" in requeued.stdout
    fourth = crawl(tmp_path, server, "run4")
    assert set(fourth.urls) == truth.listed
    assert fourth.stat(pending.GIVEN_UP) == 0


EMPTY_PAGE = html(200, "<html><head><title>Aseanplus</title></head><body></body></html>")


@pytest.mark.parametrize(("third_page", "counted"), [
    (EMPTY_PAGE, "newscrawl/bad_listing/no-stories"),
    (SERVER_ERROR, "newscrawl/fetch_failed/listing"),
], ids=["empty", "failed"])
def test_a_listing_page_empty_or_failed_mid_walk_is_not_a_complete_walk(
        replica_factory: ReplicaFactory, tmp_path: Path, third_page: Response,
        counted: str) -> None:
    server = replica_factory(articles=60, seed=2)
    truth = SiteTruth.of(server.site)
    real = server._router.resolve

    def broken_third_page(target: str, *, drifted: bool = False) -> Response:
        if target.startswith(SECTION_PATH + "?") and target.endswith("pgno=3"):
            return third_page
        return real(target, drifted=drifted)

    server._router.resolve = broken_third_page  # type: ignore[method-assign]
    first = crawl(tmp_path, server, "run1", NO_RETRIES)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stat(counted) == 1
    assert first.stat("newscrawl/listing_stop") == 0  # no stop reason: the walk broke off
    store = state(tmp_path)
    assert store.last_successful_run() is None  # the stop point did not move
    store.close()

    server._router.resolve = real  # type: ignore[method-assign]
    second = crawl(tmp_path, server, "run2")
    assert second.stat("newscrawl/listing_stop") == "no next page"  # walked on past page 3
    assert {r["url"] for r in published(tmp_path)} == truth.listed
    store = state(tmp_path)
    last = store.last_successful_run()
    store.close()
    assert last is not None and last.run_id == "run2"


def test_a_failed_state_commit_fails_the_run_and_the_next_run_recovers(
        replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    truth = SiteTruth.of(replica.site)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [
        str(HERE), os.environ.get("PYTHONPATH")])))
    extensions = json.dumps({**EXTENSIONS, "hold_state_lock.HoldStateWriteLock": 50})
    failed = crawl(tmp_path, replica, "run1", f"EXTENSIONS={extensions}")
    assert failed.returncode == 1, failed.stderr[-2000:]
    last_line = failed.stderr.strip().splitlines()[-1]
    assert last_line.startswith("newscrawl: crawl failed: the state store did not record")
    assert {r["url"] for r in failed.records} == truth.listed  # the feed was published
    store = state(tmp_path)
    assert (store.stats().stories, store.unfinished_runs()) == (0, ["run1"])
    assert store.last_successful_run() is None
    store.close()

    again = crawl(tmp_path, replica, "run2")
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stat("newscrawl/state/recovered") == len(failed.records)
    assert again.records == []
    records = published(tmp_path)
    assert {r["url"] for r in records} == truth.listed and duplicated(records) == set()
