"""``RunHistory``: every run of a data directory as the report reads it, oldest first.

Built from the run manifests (``runs/*.manifest.json``) and the quarantine feeds they name. A
manifest that cannot be read, a quarantine line that is not JSON, a count a manifest does not
carry: each is kept as "not recorded" or listed as unreadable, never a reason to stop.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from newscrawl.monitors.report import MonitorOutcome
from newscrawl.pipelines.validate import reason_slug
from newscrawl.runner.exit_codes import Verdict, judge
from newscrawl.runner.manifest import MANIFEST_SUFFIX, RunManifest

# Counts named so are stories seen but not yet published (the state's retry list); older
# manifests carry none, and the report then says "not recorded".
PENDING_PREFIXES: Final = ("pending", "given_up")
# The quarantined pages of the last run shown one by one; the rest are counted by reason.
LISTED_QUARANTINE: Final = 50


@dataclass(frozen=True, slots=True)
class QuarantinedPage:
    url: str
    stage: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run: its manifest, the verdict ``newscrawl run`` gives it, its quarantine."""

    manifest: RunManifest
    verdict: Verdict
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    quarantined: tuple[QuarantinedPage, ...] = ()
    quarantine_problem: str | None = None

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
    runs: tuple[RunRecord, ...]
    unreadable: tuple[str, ...] = ()

    @property
    def last(self) -> RunRecord | None:
        return self.runs[-1] if self.runs else None

    @property
    def pending_recorded(self) -> bool:
        return any(run.pending for run in self.runs)

    @classmethod
    def load(cls, data_dir: Path) -> RunHistory:
        runs_dir = data_dir / "runs"
        paths = sorted(runs_dir.glob(f"*{MANIFEST_SUFFIX}")) if runs_dir.is_dir() else []
        records: list[RunRecord] = []
        unreadable: list[str] = []
        for path in paths:
            if path.name.startswith("."):  # a writer's part file
                continue
            manifest = RunManifest.read(path)
            if manifest is None:
                unreadable.append(str(path.relative_to(data_dir)))
                continue
            records.append(_record(manifest, path.parent))
        # Run ids are UTC start times, but a demo or ``-O`` run may carry a prefix: order by
        # the recorded start, then the id.
        records.sort(key=lambda r: (r.manifest.started_at or "", r.run_id))
        return cls(data_dir, tuple(records), tuple(unreadable))


def _record(manifest: RunManifest, manifest_dir: Path) -> RunRecord:
    verdict = judge(manifest, killed_after_deadline=False)
    if manifest.quarantine is None:
        return RunRecord(manifest, verdict)
    path = manifest_dir / manifest.quarantine.path
    reasons: Counter[str] = Counter()
    pages: list[QuarantinedPage] = []
    problem = None
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                page = _quarantined(line)
                if page is None:
                    problem = problem or f"{path.name} line {number} is not a quarantine record"
                    continue
                # A page counts once per kind of reason, as the validator counts it.
                reasons.update({reason_slug(r) for r in page.reasons or ("?",)})
                if len(pages) < LISTED_QUARANTINE:
                    pages.append(page)
    except OSError as error:
        problem = f"{manifest.quarantine.path}: {error.strerror or error}"
    return RunRecord(manifest, verdict, reasons, tuple(pages), problem)


def _quarantined(line: str) -> QuarantinedPage | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return None
    reasons = data.get("reasons")
    return QuarantinedPage(
        url=data["url"], stage=str(data.get("stage") or "?"),
        reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
    )
