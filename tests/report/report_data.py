"""Data directories for the report tests, written with the project's own manifest classes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newscrawl.data_layout import DataLayout
from newscrawl.runs.manifest import FeedFile, RunManifest
from newscrawl.runs.monitor_report import MonitorOutcome, MonitorReport

FIELDS = ("title", "summary", "authors", "agency", "image", "tags")


def healthy_run(data_dir: Path, run_id: str, *, started: str, read: int = 10,
                alarms: tuple[str, ...] = (), extra_counts: dict[str, int] | None = None,
                quarantine: list[dict[str, Any]] | None = None) -> RunManifest:
    """A finished run that published ``read`` stories, with monitors and coverage."""
    runs = data_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    feed = runs / f"{run_id}.jsonl"
    # All found on the listing but one, from the RSS feed.
    feed.write_text('{"discovered_via": "rss"}\n' + '{"discovered_via": "listing"}\n' * (read - 1),
                    encoding="utf-8")
    quarantine_file = None
    if quarantine is not None:
        path = data_dir / "quarantine" / f"{run_id}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(row) + "\n" for row in quarantine), encoding="utf-8")
        quarantine_file = FeedFile.describe(path, len(quarantine), runs)
    outcomes = tuple(MonitorOutcome(name, "FAIL", f"{name} failed") for name in alarms)
    manifest = RunManifest(
        run_id=run_id, started_at=started, finished_at=started, finish_reason="finished",
        counts={"requests": read + 2, "read": read, "stories": read, "new": read - 1,
                "updated": 1, "duplicates": 0, "quarantined": len(quarantine or []),
                "fallback": 1, **(extra_counts or {})},
        coverage={name: 0.5 for name in FIELDS},
        feed=FeedFile.describe(feed, read, runs), quarantine=quarantine_file,
        monitors=MonitorReport(started, (MonitorOutcome("errors/error-rate", "OK"),
                                         *outcomes)),
        code_version="test",
    )
    manifest.write(DataLayout(data_dir).manifest(run_id))
    return manifest


def killed_run(data_dir: Path, run_id: str, *, started: str) -> RunManifest:
    """What ``newscrawl run`` writes for a crawl that died: no feed, no monitors, no coverage."""
    manifest = RunManifest(run_id=run_id, started_at=started, finished_at=None,
                           finish_reason="killed by SIGKILL", counts={"requests": 3},
                           code_version="test")
    manifest.write(DataLayout(data_dir).manifest(run_id))
    return manifest


def dataset(data_dir: Path, records: list[dict[str, Any]], *bad_lines: str) -> None:
    lines = [json.dumps(record) for record in records] + list(bad_lines)
    (data_dir / "dataset.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def story(day: str, via: str = "listing", agency: str | None = "Reuters",
          extraction: str = "markup") -> dict[str, Any]:
    return {"id": f"{day}-{via}-{agency}", "published_at": f"{day}T09:00:00+08:00",
            "discovered_via": via, "agency": agency, "extraction": extraction,
            "duplicate_of": None}
