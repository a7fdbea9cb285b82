"""The run manifest, ``runs/<run_id>.manifest.json``: what one run did and whether to trust it.

It sits beside the run's feed and is the one document operations read: ``newscrawl run``
chooses its exit code from it, the drift monitor compares the latest runs through it, and an
analyst can check a feed file against its sha256.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Self

import newscrawl
from newscrawl.data_layout import DataLayout
from newscrawl.feeds import write_atomically
from newscrawl.items import SCHEMA_VERSION
from newscrawl.runs.monitor_report import MonitorReport

# Counts named ``dropped/<reason>``: stories requested and neither published nor quarantined.
DROPPED: Final = "dropped/"


def file_sha256(path: Path) -> str:
    # One buffer read into again and again (``file_digest``), not a new megabyte a read: at
    # the close of a run, beside everything the run still holds, those raised its peak memory
    # by ~1.3 MB in a measured 10,000-story run (glibc serves freed blocks of that size from
    # its heap).
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


@functools.cache
def current_code_version() -> str:
    """``<package version>+g<commit>`` when the code runs from a git checkout, else the version."""
    version = newscrawl.__version__
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(newscrawl.__file__).parent, capture_output=True, text=True,
            timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version}+g{commit}" if commit else version


@dataclass(frozen=True, slots=True)
class FeedFile:
    """A published feed: its path relative to the manifest's directory, size and digest."""

    path: str
    records: int
    bytes: int
    sha256: str

    @classmethod
    def describe(cls, path: Path, records: int, manifest_dir: Path) -> Self:
        return cls(os.path.relpath(path, manifest_dir), records, path.stat().st_size,
                   file_sha256(path))

    @classmethod
    def from_json(cls, data: Any) -> Self | None:
        if not isinstance(data, dict):
            return None
        return cls(str(data["path"]), int(data["records"]), int(data["bytes"]),
                   str(data["sha256"]))


@dataclass(frozen=True, slots=True)
class RunManifest:
    run_id: str
    started_at: str | None
    finished_at: str | None
    finish_reason: str
    counts: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, float] = field(default_factory=dict)
    feed: FeedFile | None = None
    quarantine: FeedFile | None = None
    monitors: MonitorReport | None = None
    # Why the crawl failed, if it did (newscrawl.crawl_failure): a failed run.
    failures: tuple[str, ...] = ()
    code_version: str = field(default_factory=lambda: current_code_version())
    schema_version: str = SCHEMA_VERSION

    @property
    def dropped(self) -> dict[str, int]:
        """``{reason: stories}`` dropped by the run, from its counts."""
        return {k.removeprefix(DROPPED): v for k, v in self.counts.items()
                if k.startswith(DROPPED)}

    def to_json(self) -> dict[str, Any]:
        def feed_json(feed: FeedFile | None) -> dict[str, Any] | None:
            if feed is None:
                return None
            return {"path": feed.path, "records": feed.records, "bytes": feed.bytes,
                    "sha256": feed.sha256}

        return {
            "run_id": self.run_id,
            "code_version": self.code_version,
            "schema_version": self.schema_version,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "finish_reason": self.finish_reason,
            "counts": self.counts,
            "coverage": self.coverage,
            "feed": feed_json(self.feed),
            "quarantine": feed_json(self.quarantine),
            "monitors": self.monitors.to_json() if self.monitors else None,
            "failures": list(self.failures),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        monitors = data.get("monitors")
        return cls(
            run_id=str(data["run_id"]),
            started_at=data.get("started_at"),
            finished_at=data.get("finished_at"),
            finish_reason=str(data.get("finish_reason")),
            counts={str(k): int(v) for k, v in (data.get("counts") or {}).items()},
            coverage={str(k): float(v) for k, v in (data.get("coverage") or {}).items()},
            feed=FeedFile.from_json(data.get("feed")),
            quarantine=FeedFile.from_json(data.get("quarantine")),
            monitors=MonitorReport.from_json(monitors) if isinstance(monitors, dict) else None,
            failures=tuple(str(f) for f in data.get("failures") or ()),
            code_version=str(data.get("code_version")),
            schema_version=str(data.get("schema_version")),
        )

    def write(self, path: Path) -> None:
        """Write atomically: a reader sees the old manifest or the new one, never half."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))

    @classmethod
    def read(cls, path: Path) -> Self | None:
        """The manifest at ``path``; None when it is missing or not a manifest."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_json(data) if isinstance(data, dict) else None
        except (OSError, ValueError, KeyError, TypeError):
            return None


def recent_manifests(
    layout: DataLayout, limit: int, *, exclude: str | None = None
) -> list[RunManifest]:
    """The newest ``limit`` readable manifests, newest first (run ids sort by time)."""
    found: list[RunManifest] = []
    for path in reversed(layout.manifests()):
        manifest = RunManifest.read(path)
        if manifest is None or manifest.run_id == exclude:
            continue
        found.append(manifest)
        if len(found) >= limit:
            break
    return found
