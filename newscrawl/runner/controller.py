"""``RunController``: one cron run from lock to exit code.

Order matters: the lock comes first and a locked-out run stops before it creates anything (no
run id, no log, no sweep). Under the lock: clear what a killed run left, crawl in a child
process, read the manifest the crawl wrote (or write one that records how it died), judge the
run, rebuild the dataset when the run published a feed, and report.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from newscrawl.data_layout import DataLayout
from newscrawl.feeds import sweep_stale_parts, write_atomically
from newscrawl.runner.console import RunConsole, summary_lines
from newscrawl.runner.log_reason import last_error_line
from newscrawl.runner.supervisor import CrawlOutcome, CrawlSupervisor
from newscrawl.runs.exit_codes import ExitCode, Verdict, judge
from newscrawl.runs.lock import LOCK_FD_ENV, RunLock, RunLockedError
from newscrawl.runs.manifest import RunManifest
from newscrawl.runs.run_id import RUN_ID_FORMAT

if TYPE_CHECKING:  # the builder loads pyarrow, which the parent needs only after the crawl
    from newscrawl.dataset.builder import BuildReport

logger = logging.getLogger("newscrawl.runner")

SPIDER: Final = "aseanplus"
# With --section: the spider that crawls any section of the table.
SECTIONS_SPIDER: Final = "thestar"
SETTINGS_MODULE: Final = "newscrawl.settings"
# Progress lines: often enough to watch on a terminal, sparse in a cron log.
INTERACTIVE_PROGRESS_SECONDS: Final = 5
CRON_PROGRESS_SECONDS: Final = 60
# The runner's own messages go to the run's log beside the crawl's output.
LOGGED_PACKAGES: Final = ("newscrawl.runner", "newscrawl.feeds", "newscrawl.dataset")


@dataclass(frozen=True, slots=True)
class RunOptions:
    data_dir: Path
    max_run_time: float
    kill_grace: float
    spider_args: tuple[tuple[str, str], ...] = ()
    settings: tuple[str, ...] = ()  # extra ``NAME=VALUE`` for the crawl
    build_dataset: bool = True
    interactive: bool = False
    # ``--workers N --redis URL``: N worker processes sharing one crawl through Redis.
    workers: int = 0
    redis_url: str | None = None
    worker_restarts: int = 3
    crawl_id: str | None = None  # shared with workers on other machines


class RunController:
    def __init__(self, options: RunOptions, console: RunConsole | None = None) -> None:
        self.options = replace(options, data_dir=options.data_dir.absolute())
        self.console = console or RunConsole(sys.stdout, sys.stderr,
                                             interactive=options.interactive)
        self.data_dir = self.options.data_dir
        self.layout = DataLayout(self.data_dir)
        # The held run lock's descriptor, which every crawl child inherits and is told about.
        self.lock_fd: int | None = None

    def execute(self) -> ExitCode:
        lock = RunLock(self.layout.lock)
        try:
            lock.acquire()
        except RunLockedError as error:
            print(f"newscrawl run: {error}; not starting", file=sys.stderr)
            return ExitCode.LOCKED
        self.lock_fd = lock.fd
        try:
            return self.run_locked(lock)
        finally:
            self.lock_fd = None
            lock.release()

    def run_locked(self, lock: RunLock) -> ExitCode:
        run_id = self.new_run_id()
        log_path = self.layout.run_log(run_id)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        watched = [logging.getLogger(name) for name in LOGGED_PACKAGES]
        for target in watched:
            target.addHandler(handler)
            target.setLevel(logging.INFO)
        try:
            return self.run_logged(run_id, lock, log_path)
        finally:
            for target in watched:
                target.removeHandler(handler)
            handler.close()

    def run_logged(self, run_id: str, lock: RunLock, log_path: Path) -> ExitCode:
        logger.info("run %s starting in %s", run_id, self.data_dir)
        self.sweep_stale_parts()
        started_at = datetime.now(UTC).isoformat()
        if self.options.workers:
            return self.run_workers(run_id, lock, log_path, started_at)
        crawl_log_start = log_path.stat().st_size
        outcome = CrawlSupervisor(
            self.crawl_argv(run_id),
            env=self.crawl_env(run_id),
            log_path=log_path,
            deadline=self.options.max_run_time + self.options.kill_grace,
            grace=self.options.kill_grace,
            inherit_fds=(lock.fd,),
            on_progress=self.console.progress,
        ).run()
        logger.info("crawl exited with code %d", outcome.returncode)
        manifest = RunManifest.read(self.layout.manifest(run_id))
        verdict = judge(manifest, killed_after_deadline=outcome.killed_after_deadline)
        if verdict.code == ExitCode.FAILED:
            # Read now, before the runner logs its own errors about the failure.
            said = last_error_line(log_path, start=crawl_log_start)
            if said is not None:
                verdict = replace(verdict, reasons=(*verdict.reasons, f"the crawl said: {said}"))
        if manifest is None:
            manifest = self.record_death(run_id, started_at, outcome)
        dataset = None
        if self.options.build_dataset and manifest.feed is not None:
            dataset, verdict = self.rebuild_dataset(verdict)
        lines = summary_lines(run_id, manifest, verdict, log_path, dataset)
        lines.append(f"  report: {self.refresh_report()}")
        for line in lines:
            logger.info(line)
        self.console.finish(lines, verdict, log_path)
        return verdict.code

    def run_workers(self, run_id: str, lock: RunLock, log_path: Path,
                    started_at: str) -> ExitCode:
        """``--workers N``: the crawl as N supervised workers (``newscrawl.distributed``)."""
        from newscrawl.runner.workers import (
            SharedPending,
            WorkerPool,
            join_manifests,
            worker_settings,
        )

        assert self.options.redis_url is not None
        logs = log_path.parent
        crawl_id = self.options.crawl_id or run_id
        # Workers of one crawl on several machines: names (in Redis) say which machine.
        prefix = f"{socket.gethostname()}-" if self.options.crawl_id else ""

        def command(name: str, worker_run_id: str) -> tuple[list[str], dict[str, str]]:
            argv = self.crawl_argv(worker_run_id)
            # Without NEWSCRAWL_STATE the workers share the state in the same Redis.
            state = None if os.environ.get("NEWSCRAWL_STATE") else self.options.redis_url
            for setting in worker_settings(
                redis_url=self.options.redis_url or "", run_id=crawl_id, name=f"{prefix}{name}",
                worker_run_id=worker_run_id, logs=logs, state=state,
            ):
                argv += ["-s", setting]
            return argv, self.crawl_env(worker_run_id)

        outcome = WorkerPool(
            run_id, self.options.workers, command, logs=logs,
            deadline=self.options.max_run_time + self.options.kill_grace,
            grace=self.options.kill_grace, restarts=self.options.worker_restarts,
            inherit_fds=(lock.fd,),
        ).run()
        document, verdict = join_manifests(self.layout, run_id, outcome, started_at,
                                           logs, SharedPending.read(self.worker_state()))
        path = self.layout.manifest(run_id)
        write_atomically(path, lambda temp: temp.write_text(
            json.dumps(document, indent=2) + "\n", encoding="utf-8"))
        dataset = None
        if self.options.build_dataset and any(w["feed"] for w in document["workers"]):
            dataset, verdict = self.rebuild_dataset(verdict)
        manifest = RunManifest.from_json(document)
        lines = summary_lines(run_id, manifest, verdict, log_path, dataset)
        lines.append(f"  report: {self.refresh_report()}")
        for line in lines:
            logger.info(line)
        self.console.finish(lines, verdict, log_path)
        return verdict.code

    def worker_state(self) -> str | None:
        """The state the workers share: ``-s NEWSCRAWL_STATE``, the environment's, or Redis."""
        given = [s.partition("=")[2] for s in self.options.settings
                 if s.startswith("NEWSCRAWL_STATE=")]
        if os.environ.get("NEWSCRAWL_STATE"):
            return given[-1] if given else os.environ["NEWSCRAWL_STATE"]
        return self.options.redis_url

    def refresh_report(self) -> str:
        """Rewrite report.html; a report that cannot be written is logged, never fails a run."""
        from newscrawl.report.writer import write_report

        try:
            return str(write_report(self.data_dir))
        except Exception as error:  # a view of the data: its bug must not cost the run's verdict
            logger.exception("report not written")
            return f"not written ({type(error).__name__}: {error})"

    def sweep_stale_parts(self) -> None:
        """Remove what killed writers left: dataset parts in the data-dir root, run feeds and
        manifests in ``runs/``, quarantine feeds in ``quarantine/`` and saved pages in
        ``quarantine/<run_id>/``."""
        quarantine = self.layout.quarantine
        run_dirs: list[Path] = []
        if quarantine.is_dir():
            run_dirs = sorted(path for path in quarantine.iterdir() if path.is_dir())
        for directory in (self.data_dir, self.layout.runs, quarantine, *run_dirs):
            sweep_stale_parts(directory)

    def new_run_id(self) -> str:
        """The UTC start second; a run that would reuse a taken id waits for the next second."""
        while True:
            run_id = datetime.now(UTC).strftime(RUN_ID_FORMAT)
            taken = (
                self.layout.run_log(run_id).exists()
                or self.layout.manifest(run_id).exists()
            )
            if not taken:
                return run_id
            time.sleep(0.2)

    def crawl_argv(self, run_id: str) -> list[str]:
        progress = (INTERACTIVE_PROGRESS_SECONDS if self.options.interactive
                    else CRON_PROGRESS_SECONDS)
        settings = [
            f"NEWSCRAWL_DATA_DIR={self.data_dir}",
            f"NEWSCRAWL_RUN_ID={run_id}",
            f"NEWSCRAWL_STATS_PATH={self.stats_path(run_id)}",
            f"NEWSCRAWL_PROGRESS_INTERVAL={progress}",
            f"CLOSESPIDER_TIMEOUT={self.options.max_run_time:g}",
            *self.options.settings,
        ]
        spider = SECTIONS_SPIDER if any(n == "section" for n, _ in self.options.spider_args) \
            else SPIDER
        argv = [sys.executable, "-m", "scrapy", "crawl", spider]
        for setting in settings:
            argv += ["-s", setting]
        for name, value in self.options.spider_args:
            argv += ["-a", f"{name}={value}"]
        return argv

    def crawl_env(self, run_id: str) -> dict[str, str]:
        env = dict(os.environ)
        # cron starts jobs in $HOME, where no scrapy.cfg says which project this is.
        env.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
        env["NEWSCRAWL_RUN_ID"] = run_id
        env["PYTHONUNBUFFERED"] = "1"
        if self.lock_fd is not None:
            # The crawl takes the run lock itself (newscrawl.extensions.run_lock): it inherits
            # this descriptor and must adopt it rather than wait for its own parent.
            env[LOCK_FD_ENV] = str(self.lock_fd)
        return env

    def stats_path(self, run_id: str) -> Path:
        return self.layout.run_stats(run_id)

    def record_death(self, run_id: str, started_at: str, outcome: CrawlOutcome) -> RunManifest:
        """The crawl died before writing its manifest: write one that says how, with whatever
        counts its stats dump holds, so every run leaves a manifest."""
        from newscrawl.runner.manifest_writer import run_counts

        if outcome.returncode < 0:
            reason = f"killed by {_signal_name(-outcome.returncode)}"
        else:
            reason = f"exited with code {outcome.returncode} before writing a manifest"
        manifest = RunManifest(
            run_id=run_id, started_at=started_at, finished_at=datetime.now(UTC).isoformat(),
            finish_reason=reason, counts=run_counts(self.read_stats(run_id)),
        )
        manifest.write(self.layout.manifest(run_id))
        logger.error("crawl left no manifest (%s); wrote one recording that", reason)
        return manifest

    def read_stats(self, run_id: str) -> dict[str, Any]:
        try:
            data = json.loads(self.stats_path(run_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def rebuild_dataset(self, verdict: Verdict) -> tuple[BuildReport | None, Verdict]:
        import pyarrow as pa

        from newscrawl.dataset.builder import DatasetBuilder

        try:
            return DatasetBuilder(self.data_dir).build(), verdict
        except (OSError, ValueError, pa.ArrowException) as error:
            # pyarrow's errors (ArrowInvalid is also a ValueError) fail the run like a full disk:
            # the summary still gets printed, with the reason.
            logger.exception("dataset build failed")
            reason = f"dataset build: {type(error).__name__}: {error}"
            return None, Verdict(ExitCode.FAILED, (*verdict.reasons, reason))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
