"""Stories dropped without a record reach the run's manifest and its summary, by reason."""

from __future__ import annotations

from pathlib import Path

from newscrawl.runner.console import summary_lines
from newscrawl.runner.manifest_writer import run_counts
from newscrawl.runs.exit_codes import ExitCode, Verdict
from newscrawl.runs.manifest import RunManifest


def test_the_summary_lists_dropped_stories_by_reason(tmp_path: Path) -> None:
    stats = {"newscrawl/dropped/redirect-loop": 2, "newscrawl/dropped/not-in-section": 3,
             "newscrawl/dropped/offhost-meta-refresh": 1, "newscrawl/tally/stories": 7}
    counts = run_counts(stats)
    assert counts["dropped/not-in-section"] == 3
    manifest = RunManifest("r1", None, None, "finished", counts=counts)
    path = tmp_path / "r1.manifest.json"
    manifest.write(path)
    again = RunManifest.read(path)
    assert again is not None
    lines = summary_lines("r1", again, Verdict(ExitCode.HEALTHY, ()), tmp_path / "log", None)
    assert "  dropped: 6 stories (not-in-section 3, redirect-loop 2, offhost-meta-refresh 1)" \
        in lines


def test_no_dropped_line_when_nothing_was_dropped(tmp_path: Path) -> None:
    manifest = RunManifest("r1", None, None, "finished", counts=run_counts({}))
    lines = summary_lines("r1", manifest, Verdict(ExitCode.HEALTHY, ()), tmp_path / "log", None)
    assert not [line for line in lines if line.startswith("  dropped:")]
