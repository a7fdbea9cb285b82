"""Honest runs: a site that cannot be reached fails the run (exit 1, one line saying why), the
crawl itself holds the run lock against ``newscrawl run`` and other crawls, and the validator
judges a record's dates against the time the page was read."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import scrapy.utils.test
from crawl_runs import crawl
from crawling import kill_crawl, run_crawl, start_crawl
from newscrawl_run import run as newscrawl_run
from pipelines.stories import make_story

from newscrawl.pipelines.validate import ValidatePipeline
from newscrawl.replica import FaultPlan, ReplicaServer
from newscrawl.runs.lock import RunLock
from newscrawl.runs.manifest import RunManifest

ReplicaFactory = Callable[..., ReplicaServer]


def closed_port_origin() -> str:
    """An origin on loopback where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.e2e
def test_scrapy_crawl_of_an_unreachable_site_fails_with_one_line(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, {"base_url": closed_port_origin(), "render": "never"},
                       settings=["RETRY_TIMES=0"], user_feed=False)
    assert result.returncode == 1, result.stderr[-2000:]
    ours = [line for line in result.stderr.splitlines() if line.startswith("newscrawl:")]
    assert len(ours) == 1
    assert ours[0].startswith("newscrawl: crawl failed: the site could not be reached")
    assert "ConnectionRefusedError" in ours[0]
    assert result.stderr.strip().splitlines()[-1] == ours[0]


@pytest.mark.e2e
def test_newscrawl_run_of_an_unreachable_site_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, _, stderr = newscrawl_run(data, closed_port_origin(), "-s", "RETRY_TIMES=0")
    assert code == 1, stderr
    (path,) = (data / "runs").glob("*.manifest.json")
    manifest = RunManifest.read(path)
    assert manifest is not None
    assert manifest.failures and "could not be reached" in manifest.failures[0]


@pytest.mark.e2e
def test_a_crawl_does_not_start_while_another_run_holds_the_lock(
        replica: ReplicaServer, tmp_path: Path) -> None:
    with RunLock(tmp_path / "data" / "run.lock"):
        refused = crawl(tmp_path, replica, "locked-out")
    assert refused.returncode == 3, refused.stderr[-2000:]
    lines = [line for line in refused.stderr.splitlines() if line.startswith("newscrawl:")]
    assert lines == [f"newscrawl: another run holds {tmp_path / 'data' / 'run.lock'}; "
                     "not starting"]
    assert not (tmp_path / "state.sqlite").exists()  # nothing touched


@pytest.mark.e2e
def test_scrapy_crawl_and_newscrawl_run_lock_each_other_out(
        replica_factory: ReplicaFactory, tmp_path: Path) -> None:
    server = replica_factory(faults=["slow=1:20"])  # every story takes 20 s: time to collide
    data = tmp_path / "data"
    crawl_process = start_crawl(tmp_path, {"base_url": server.origin, "render": "never"},
                                run_id="scrapy", user_feed=False,
                                settings=[f"NEWSCRAWL_STATE={data / 'state.sqlite'}"])
    try:
        deadline = time.monotonic() + 120
        while not any(path.count("/") > 3 for path in server.requests()):
            assert time.monotonic() < deadline and crawl_process.poll() is None
            time.sleep(0.05)
        code, _, stderr = newscrawl_run(data, server.origin)
        assert crawl_process.poll() is None, "the crawl ended before newscrawl run started"
        assert code == 3, stderr
        assert "another run holds" in stderr
    finally:
        kill_crawl(crawl_process)
    # Free again: newscrawl run's own crawl inherits its lock instead of locking itself out.
    server.faults = FaultPlan()
    code, _, stderr = newscrawl_run(data, server.origin)
    assert code in (0, 2), stderr
    assert list((data / "runs").glob("*.jsonl"))


def test_the_validator_judges_dates_against_when_the_page_was_read() -> None:
    read_at = datetime.now(UTC) + timedelta(hours=2)  # read two hours into a long run
    site_time = timezone(timedelta(hours=8))  # the site's offset, which the schema requires
    published = (read_at - timedelta(minutes=5)).astimezone(site_time).isoformat(
        timespec="seconds")
    crawler = scrapy.utils.test.get_crawler(settings_dict={})
    story = make_story(published_at=published, crawled_at=read_at.isoformat())
    assert ValidatePipeline.from_crawler(crawler).process_item(story) is story
    early = make_story(published_at=published,
                       crawled_at=(read_at - timedelta(hours=2)).isoformat())
    assert "date-in-future" in ValidatePipeline.from_crawler(crawler).process_item(
        early).reasons[0]
    # NEWSCRAWL_NOW still pins the clock, for every record, whenever it was read.
    pinned = scrapy.utils.test.get_crawler(
        settings_dict={"NEWSCRAWL_NOW": "2026-02-12T12:00:00+08:00"})
    old = make_story(published_at="2026-02-12T12:10:00+08:00", crawled_at=read_at.isoformat())
    assert ValidatePipeline.from_crawler(pinned).process_item(old) is old
    later = make_story(published_at="2026-02-12T13:00:00+08:00",
                       crawled_at=read_at.isoformat())
    assert "date-in-future" in ValidatePipeline.from_crawler(pinned).process_item(
        later).reasons[0]


@pytest.mark.e2e
def test_a_lock_that_cannot_be_taken_is_one_line_and_exit_1(
        replica: ReplicaServer, tmp_path: Path) -> None:
    data = tmp_path / "data"
    # A file where the directory should be: the lock cannot be created (root ignores chmod).
    data.write_text("not a directory\n")
    refused = crawl(tmp_path, replica, "no-lock")
    assert refused.returncode == 1, refused.stderr[-2000:]
    lines = [line for line in refused.stderr.splitlines() if line.startswith("newscrawl:")]
    # The data directory's check (StorageCheckExtension) runs before the lock: either names it.
    assert len(lines) == 1 and lines[0].startswith("newscrawl: cannot ") and str(data) in lines[0]
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "state.sqlite").exists()
