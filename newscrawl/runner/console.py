"""What a person sees of a run: a live progress line on a terminal, and the closing summary.

Cron has no terminal: there the summary only goes to the run's log, and one line goes to
stderr when the run was not healthy (cron mails a job's output, so silence means healthy).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newscrawl.runner.progress import Progress
from newscrawl.runs.exit_codes import ExitCode, Verdict
from newscrawl.runs.manifest import RunManifest

if TYPE_CHECKING:  # the builder loads pyarrow, which the parent needs only after the crawl
    from newscrawl.dataset.builder import BuildReport


def summary_lines(
    run_id: str,
    manifest: RunManifest | None,
    verdict: Verdict,
    log_path: Path,
    dataset: BuildReport | None,
) -> list[str]:
    lines = [f"run {run_id}: {verdict.label} (exit {int(verdict.code)})"]
    if manifest is not None:
        c = manifest.counts
        lines.append(
            f"  crawl: {manifest.finish_reason}; {c.get('requests', 0)} requests, "
            f"{c.get('read', 0)} stories read, {c.get('stories', 0)} published "
            f"({c.get('new', 0)} new, {c.get('updated', 0)} "
            f"updated, {c.get('duplicates', 0)} duplicates), {c.get('quarantined', 0)} "
            f"quarantined, {c.get('errors', 0)} errors"
        )
        if manifest.dropped:
            reasons = ", ".join(f"{reason} {n}" for reason, n in manifest.dropped.items())
            lines.append(f"  dropped: {sum(manifest.dropped.values())} stories ({reasons})")
        if manifest.feed is not None:
            lines.append(f"  feed: runs/{manifest.feed.path} ({manifest.feed.records} records, "
                         f"sha256 {manifest.feed.sha256[:12]}…)")
        if manifest.monitors is not None:
            checks = len(manifest.monitors.outcomes)
            lines.append(f"  monitors: {checks} checks, {len(manifest.monitors.alarms)} alarms")
    lines.extend(f"  ! {reason}" for reason in verdict.reasons)
    if dataset is not None:
        lines.append(f"  dataset: {dataset.summary()}")
    lines.append(f"  log: {log_path}")
    return lines


class RunConsole:
    def __init__(self, stream: TextIO, errors: TextIO, *, interactive: bool) -> None:
        self.stream = stream
        self.errors = errors
        self.interactive = interactive
        self._progress_shown = False

    def progress(self, progress: Progress) -> None:
        if not self.interactive:
            return
        self.stream.write(f"\r{progress.line().removeprefix('progress: ')}   ")
        self.stream.flush()
        self._progress_shown = True

    def finish(self, lines: list[str], verdict: Verdict, log_path: Path) -> None:
        if self.interactive:
            if self._progress_shown:
                self.stream.write("\n")
            self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()
        elif verdict.code != ExitCode.HEALTHY:
            why = f": {'; '.join(verdict.reasons)}" if verdict.reasons else ""
            self.errors.write(f"newscrawl {lines[0]}{why}; see {log_path}\n")
