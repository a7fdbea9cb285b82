"""``RunHistory``: every run of a data directory as the report reads it, oldest first.

Built from the run manifests (``runs/*.manifest.json``) and the quarantine feeds they name. A
manifest that cannot be read, a quarantine line that is not JSON, a count a manifest does not
carry: each is kept as "not recorded" or listed as unreadable, never a reason to stop.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from newscrawl.data_layout import DataLayout
from newscrawl.pipelines.validate import reason_slug
from newscrawl.runs.exit_codes import Verdict, judge
from newscrawl.runs.manifest import RunManifest
from newscrawl.runs.monitor_report import MonitorOutcome

# Counts named so are stories seen but not yet published (the state's retry list); older
# manifests carry none, and the report then says "not recorded".
PENDING_PREFIXES: Final = ("pending", "given_up")
# The quarantined pages listed one by one; the rest are counted by reason.
LISTED_QUARANTINE: Final = 50
# The runs the report draws: enough for months of half-hourly runs, few enough that the page
# stays quick to build after every run and its charts stay readable.
RUNS_SHOWN: Final = 500


@dataclass(frozen=True, slots=True)
class QuarantinedPage:
    url: str
    stage: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run: its manifest, the verdict ``newscrawl run`` gives it, what its feeds hold."""

    manifest: RunManifest
    verdict: Verdict
    discovered_via: Counter[str] = field(default_factory=Counter)  # of the stories published
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    quarantined: tuple[QuarantinedPage, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def run_id(self) -> str:
        return self.manifest.run_id

    @property
    def alarms(self) -> tuple[MonitorOutcome, ...] | None:
        """The monitors that alarmed; None when the monitors did not run."""
        monitors = self.manifest.monitors
        return None if monitors is None else monitors.alarms

    @property
    def fallback_share(self) -> float | None:
        """Share of the stories read whose text came from the fallback extractor."""
        counts = self.manifest.counts
        if "fallback" not in counts or not counts.get("read"):
            return None
        return counts["fallback"] / counts["read"]

    @property
    def pending(self) -> dict[str, int]:
        return {name: value for name, value in self.manifest.counts.items()
                if name.startswith(PENDING_PREFIXES)}


@dataclass(frozen=True, slots=True)
class RunHistory:
    data_dir: Path
    runs: tuple[RunRecord, ...]  # the newest RUNS_SHOWN, oldest first
    unreadable: tuple[str, ...] = ()
    recorded: int = 0  # every readable manifest, shown or not

    @property
    def last(self) -> RunRecord | None:
        return self.runs[-1] if self.runs else None

    @property
    def pending_recorded(self) -> bool:
        return any(run.pending for run in self.runs)

    @classmethod
    def load(cls, data_dir: Path) -> RunHistory:
        paths = DataLayout(data_dir).manifests()
        found: list[tuple[RunManifest, Path]] = []
        unreadable: list[str] = []
        for path in paths:
            if path.name.startswith("."):  # a writer's part file
                continue
            manifest = RunManifest.read(path)
            if manifest is None:
                unreadable.append(str(path.relative_to(data_dir)))
            else:
                found.append((manifest, path.parent))
        # Run ids are UTC start times, but a demo or ``-O`` run may carry a prefix: order by
        # the recorded start, then the id.
        found.sort(key=lambda pair: (pair[0].started_at or "", pair[0].run_id))
        shown = tuple(_record(manifest, where) for manifest, where in found[-RUNS_SHOWN:])
        return cls(data_dir, shown, tuple(unreadable), len(found))


def _record(manifest: RunManifest, manifest_dir: Path) -> RunRecord:
    problems: list[str] = []
    discovered: Counter[str] = Counter()
    if manifest.feed is not None:
        for record in _json_lines(manifest_dir, manifest.feed.path, problems):
            via = record.get("discovered_via") if isinstance(record, dict) else None
            discovered[str(via or "unknown")] += 1
    reasons: Counter[str] = Counter()
    pages: list[QuarantinedPage] = []
    if manifest.quarantine is not None:
        for row in _json_lines(manifest_dir, manifest.quarantine.path, problems):
            page = _quarantined(row)
            if page is None:
                problems.append(f"{manifest.quarantine.path}: a line is not a quarantine record")
                continue
            # A page counts once per kind of reason, as the validator counts it.
            reasons.update({reason_slug(r) for r in page.reasons or ("?",)})
            if len(pages) < LISTED_QUARANTINE:
                pages.append(page)
    return RunRecord(manifest, judge(manifest, killed_after_deadline=False), discovered,
                     reasons, tuple(pages), tuple(dict.fromkeys(problems)))


def _json_lines(directory: Path, name: str, problems: list[str]) -> Iterator[Any]:
    """The JSON values of a feed's lines; a line that is not JSON or a missing file is noted in
    ``problems`` (a feed cut by a kill, or removed by hand)."""
    try:
        with (directory / name).open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except ValueError:
                    problems.append(f"{name} line {number} is not JSON")
    except OSError as error:
        problems.append(f"{name}: {error.strerror or error}")


def _quarantined(data: Any) -> QuarantinedPage | None:
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return None
    reasons = data.get("reasons")
    return QuarantinedPage(
        url=data["url"], stage=str(data.get("stage") or "?"),
        reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
    )
