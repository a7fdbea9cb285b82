"""``newscrawl run`` end to end against the replica: exit codes, lock, kill safety, manifest and
the dataset it rebuilds."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from newscrawl_run import (
    finish,
    jsonl,
    listed_story_ids,
    manifests,
    run,
    start_run,
    wait_for,
)

from newscrawl.feeds import PartFile
from newscrawl.replica import FaultPlan, ReplicaServer
from newscrawl.runs.lock import RunLock

pytestmark = pytest.mark.e2e
ReplicaFactory = Callable[..., ReplicaServer]  # the ``replica_factory`` fixture


def files_of(data_dir: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(data_dir)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in data_dir.rglob("*") if p.is_file()}


def test_healthy_run_publishes_feed_manifest_and_dataset(replica: ReplicaServer,
                                                         tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    returncode, stdout, stderr = run(data_dir, replica.origin)

    assert returncode == 0, stderr
    assert stdout == ""  # cron mode: nothing to mail when healthy
    [manifest] = manifests(data_dir)
    run_id = manifest["run_id"]
    feed = data_dir / "runs" / f"{run_id}.jsonl"
    records = jsonl(feed)
    assert manifest["finish_reason"] == "finished"
    assert manifest["feed"]["sha256"] == hashlib.sha256(feed.read_bytes()).hexdigest()
    assert manifest["feed"]["records"] == manifest["counts"]["stories"] == len(records)
    assert manifest["monitors"]["passed"] is True
    assert (data_dir / "logs" / f"{run_id}.log").is_file()
    assert listed_story_ids(replica.site) <= {r["id"] for r in records}
    report = (data_dir / "report.html").read_text(encoding="utf-8")  # refreshed by the run
    assert f"<td>{run_id}</td>" in report
    assert 'Last run: <span class="ok">healthy</span>' in report

    # The dataset was rebuilt after the run and matches it, read by pyarrow and by DuckDB.
    parquet = data_dir / "dataset.parquet"
    by_id = {r["id"]: r for r in records}
    table = pq.read_table(parquet).to_pylist()
    assert sorted(row["id"] for row in table) == sorted(by_id)
    for row in table:
        record = by_id[row["id"]]
        for name in ("url", "title", "body", "authors", "agency", "tags", "image", "related",
                     "version", "duplicate_of", "content_hash"):
            assert row[name] == record[name], name
    with duckdb.connect() as con:
        rows, distinct = con.execute(
            "SELECT count(*), count(DISTINCT id) FROM read_parquet(?)", [str(parquet)]
        ).fetchone() or (0, 0)
    assert rows == distinct == len(records)

    before = {name: (data_dir / name).read_bytes() for name in ("dataset.jsonl", "dataset.parquet")}
    subprocess.run([sys.executable, "-m", "newscrawl.cli", "dataset", "build", "--data-dir",
                    str(data_dir)], check=True, capture_output=True)
    assert {name: (data_dir / name).read_bytes() for name in before} == before


def test_locked_out_run_exits_3_and_touches_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    stale = PartFile.for_target(data_dir / "runs" / "20250101T000000Z.jsonl", 2**22 + 1).path
    stale.parent.mkdir(parents=True)
    stale.write_text("half a run\n")
    (data_dir / "dataset.jsonl").write_text("")
    with RunLock(data_dir / "run.lock"):
        before = files_of(data_dir)
        # Nothing listens on port 9: a run that got past the lock would fail, not exit 3.
        returncode, _, stderr = run(data_dir, "http://127.0.0.1:9")
        after = files_of(data_dir)
    assert returncode == 3
    assert "another run holds" in stderr
    assert after == before


def test_second_of_two_concurrent_runs_exits_3(replica_factory: ReplicaFactory,
                                               tmp_path: Path) -> None:
    server = replica_factory(faults=["slow=1:2"])
    data_dir = tmp_path / "data"
    first = start_run(data_dir, server.origin, "--max-articles", "4", "--no-dataset")
    try:
        # The log is created under the lock: once it exists, the first run holds the lock.
        wait_for(lambda: any((data_dir / "logs").glob("*.log")), "the first run's log")
        returncode, _, stderr = run(data_dir, server.origin)
        assert returncode == 3, stderr
    finally:
        first_code, _, first_err = finish(first)
    assert first_code in (0, 2), first_err
    assert len(list((data_dir / "logs").glob("*.log"))) == 1
    assert len(manifests(data_dir)) == 1


def test_layout_change_degrades_the_run_and_names_the_monitor(replica_factory: ReplicaFactory,
                                                              tmp_path: Path) -> None:
    server = replica_factory()
    data_dir = tmp_path / "data"
    assert run(data_dir, server.origin, "--no-dataset")[0] == 0

    # The site changes its layout between two runs: the stories are the same, so few or none
    # are published, but every page read was read by the fallback extractor. An incremental
    # run reads the stories of the revisit window: "now" is set so that it holds the newest.
    server.faults = FaultPlan.parse(["layout=1"])
    returncode, _, stderr = run(data_dir, server.origin, "--no-dataset",
                                "-s", "NEWSCRAWL_NOW=2026-02-22T00:00:00+08:00")

    assert returncode == 2, stderr
    assert "degraded" in stderr
    manifest = manifests(data_dir)[-1]
    assert "extraction/fallback-share" in manifest["monitors"]["failed"]
    assert manifest["counts"]["read"] > 0
    records = jsonl(data_dir / "runs" / f"{manifest['run_id']}.jsonl")
    assert {r["extraction"] for r in records} <= {"fallback"}


def test_sigkill_mid_run_leaves_no_truncated_feed(replica_factory: ReplicaFactory,
                                                  tmp_path: Path) -> None:
    server = replica_factory(faults=["slow=1:2"])
    data_dir = tmp_path / "data"
    runs = data_dir / "runs"
    killed = start_run(data_dir, server.origin)
    try:
        wait_for(lambda: any(PartFile.parse(p) for p in runs.glob(".*")),
                 "the first records of the run")
    finally:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.communicate()

    assert list(runs.glob("*.jsonl")) == []  # nothing a reader would take for a run
    leftovers = [p for p in runs.iterdir() if PartFile.parse(p)]
    assert leftovers

    server.faults = FaultPlan()
    returncode, _, stderr = run(data_dir, server.origin)

    assert returncode == 0, stderr
    assert not any(p.exists() for p in leftovers)
    [manifest] = manifests(data_dir)
    records = jsonl(runs / f"{manifest['run_id']}.jsonl")
    dataset = jsonl(data_dir / "dataset.jsonl")
    ids = [r["id"] for r in dataset]
    assert len(ids) == len(set(ids))  # every story once
    assert set(ids) == {r["id"] for r in records}
    assert listed_story_ids(server.site) <= set(ids)


def test_maximum_run_time_closes_the_crawl_and_degrades_the_run(replica_factory: ReplicaFactory,
                                                                tmp_path: Path) -> None:
    server = replica_factory(faults=["slow=1:3"])
    data_dir = tmp_path / "data"
    returncode, _, stderr = run(data_dir, server.origin, "--max-run-time", "2", "--no-dataset")

    assert returncode == 2, stderr
    [manifest] = manifests(data_dir)
    assert manifest["finish_reason"] == "closespider_timeout"
    assert "finish-reason/finished" in manifest["monitors"]["failed"]
    feed = data_dir / "runs" / f"{manifest['run_id']}.jsonl"
    assert manifest["feed"]["records"] == len(jsonl(feed))


def test_a_crawl_killed_under_the_runner_fails_the_run_with_a_manifest(
        replica_factory: ReplicaFactory, tmp_path: Path) -> None:
    server = replica_factory(faults=["slow=1:2"])
    data_dir = tmp_path / "data"
    runner = start_run(data_dir, server.origin)
    try:
        wait_for(lambda: any(PartFile.parse(p) for p in (data_dir / "runs").glob(".*")),
                 "the first records of the run")
        children = Path(f"/proc/{runner.pid}/task/{runner.pid}/children").read_text().split()
        for pid in children:  # the crawl, as the OOM killer would pick it
            os.kill(int(pid), signal.SIGKILL)
    finally:
        returncode, _, stderr = finish(runner)

    assert returncode == 1, stderr
    [manifest] = manifests(data_dir)
    assert manifest["finish_reason"] == "killed by SIGKILL"
    assert manifest["feed"] is None
    report = (data_dir / "report.html").read_text(encoding="utf-8")
    assert 'Last run: <span class="bad">failed</span>' in report
    assert "killed by SIGKILL" in report
    assert list((data_dir / "runs").glob("*.jsonl")) == []
    assert not (data_dir / "dataset.jsonl").exists()
