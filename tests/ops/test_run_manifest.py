"""RunManifest: written atomically, read back equal, listed newest first."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newscrawl.data_layout import DataLayout
from newscrawl.items import SCHEMA_VERSION
from newscrawl.runs.manifest import (
    FeedFile,
    RunManifest,
    current_code_version,
    recent_manifests,
)
from newscrawl.runs.monitor_report import MonitorOutcome, MonitorReport


def test_round_trip_and_fields(tmp_path: Path) -> None:
    feed_path = tmp_path / "runs" / "r1.jsonl"
    feed_path.parent.mkdir()
    feed_path.write_bytes(b'{"id": "x"}\n')
    feed = FeedFile.describe(feed_path, 1, feed_path.parent)
    report = MonitorReport("t0", (MonitorOutcome("a/b", "FAIL", "why"),))
    manifest = RunManifest("r1", "t0", "t1", "finished", counts={"stories": 1},
                           coverage={"title": 1.0}, feed=feed, monitors=report)
    path = DataLayout(tmp_path).manifest("r1")
    manifest.write(path)

    assert RunManifest.read(path) == manifest
    data = json.loads(path.read_text())
    assert data["feed"] == {"path": "r1.jsonl", "records": 1, "bytes": 12,
                            "sha256": hashlib.sha256(feed_path.read_bytes()).hexdigest()}
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["code_version"] == current_code_version()
    assert data["monitors"]["failed"] == ["a/b"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["r1.jsonl", "r1.manifest.json"]


def test_unreadable_manifest_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "bad.manifest.json"
    path.write_text("{not json")
    assert RunManifest.read(path) is None
    assert RunManifest.read(tmp_path / "missing.manifest.json") is None


def test_recent_manifests_newest_first(tmp_path: Path) -> None:
    for run_id in ("20250101T000000Z", "20250103T000000Z", "20250102T000000Z"):
        RunManifest(run_id, None, None, "finished").write(DataLayout(tmp_path).manifest(run_id))
    DataLayout(tmp_path).manifest("20250104T000000Z").write_text("garbage")
    found = recent_manifests(DataLayout(tmp_path), 2, exclude="20250103T000000Z")
    assert [m.run_id for m in found] == ["20250102T000000Z", "20250101T000000Z"]


def test_a_failed_write_leaves_the_old_manifest_and_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = DataLayout(tmp_path).manifest("r1")
    RunManifest("r1", "t0", "t1", "finished").write(path)
    before = path.read_bytes()

    def full_disk(self: Path, data: str, encoding: str | None = None) -> int:
        with self.open("w", encoding=encoding) as file:
            file.write(data[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OSError, match="No space"):
        RunManifest("r1", "t0", "t2", "shutdown").write(path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_feed_outside_runs_gets_its_manifest_beside_it_named_after_it(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path / "data")
    assert layout.manifest_beside(tmp_path / "out.jsonl") == tmp_path / "out.manifest.json"
    assert layout.manifest_beside(layout.run_feed("r1")) == layout.manifest("r1")
    assert layout.manifests() == []  # no runs/ yet: nothing, not an error
