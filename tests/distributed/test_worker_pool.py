"""The run manifest of a run of workers: the workers named and summed (pending stories counted
once, not once per worker), and the run's verdict."""

from __future__ import annotations

import json
from pathlib import Path

from newscrawl.data_layout import DataLayout
from newscrawl.runner.workers import PoolOutcome, SharedPending, WorkerSlot, join_manifests
from newscrawl.runs.exit_codes import ExitCode
from newscrawl.runs.manifest import RunManifest

STARTED = "2026-11-27T00:00:00+00:00"


def worker_manifest(data_dir: Path, run_id: str, stories: int, **counts: int) -> None:
    RunManifest(run_id=run_id, started_at=STARTED,
                finished_at="2026-11-27T00:10:00+00:00", finish_reason="finished",
                counts={"read": stories, **counts}).write(DataLayout(data_dir).manifest(run_id))


def test_a_worker_without_a_manifest_fails_the_run_whatever_the_others_say(
        tmp_path: Path) -> None:
    worker_manifest(tmp_path, "run-w1", 5)
    outcome = PoolOutcome((WorkerSlot("w1", ["run-w1"], [0]), WorkerSlot("w2", ["run-w2"], [1])),
                          signals_sent=0)
    document, verdict = join_manifests(DataLayout(tmp_path), "run", outcome, STARTED)
    assert verdict.code == ExitCode.FAILED  # worse than w1's "degraded" (no monitors ran)
    assert "w2: worker w2 left no manifest" in verdict.reasons
    assert document["counts"] == {"read": 5}
    assert [w["manifest"] for w in document["workers"]] == ["run-w1.manifest.json", None]


def test_replaced_workers_and_unqueued_requests_are_said(tmp_path: Path) -> None:
    for run_id, stories in (("run-w1", 2), ("run-w1.1", 3)):
        worker_manifest(tmp_path, run_id, stories)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "run-w1.1.stats.json").write_text(json.dumps({"newscrawl/redis/unqueued": 4}))
    outcome = PoolOutcome((WorkerSlot("w1", ["run-w1", "run-w1.1"], [-9, 0]),), signals_sent=0)
    document, verdict = join_manifests(DataLayout(tmp_path), "run", outcome, STARTED, logs)
    assert verdict.code == ExitCode.DEGRADED
    assert "worker w1 was replaced 1 times" in verdict.reasons
    assert any("4 requests could not be queued" in r for r in verdict.reasons)
    assert document["counts"]["read"] == 5
    assert [w["returncode"] for w in document["workers"]] == [-9, 0]


def test_pending_stories_are_the_shared_stores_not_one_per_worker(tmp_path: Path) -> None:
    # Both workers report the 2 stories given up and the 1 waiting out its backoff that nobody
    # fetched; w1 also left 2 stories it failed itself.
    worker_manifest(tmp_path, "run-w1", 4, pending=3, given_up=2)
    worker_manifest(tmp_path, "run-w2", 6, pending=1, given_up=2)
    outcome = PoolOutcome((WorkerSlot("w1", ["run-w1"], [0]), WorkerSlot("w2", ["run-w2"], [0])),
                          signals_sent=0)
    document, _ = join_manifests(DataLayout(tmp_path), "run", outcome, "2026-11-27T00:00:00+00:00",
                                 shared=SharedPending(pending=3, given_up=2))
    assert document["counts"] == {"read": 10, "pending": 3, "given_up": 2}
    # Without the shared store's figures: the most any worker saw, never the sum.
    document, _ = join_manifests(DataLayout(tmp_path), "run", outcome, "2026-11-27T00:00:00+00:00")
    assert document["counts"] == {"read": 10, "pending": 3, "given_up": 2}
