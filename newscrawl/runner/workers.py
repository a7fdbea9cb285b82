"""``newscrawl run --workers N``: N worker processes of one crawl on this machine, supervised.

Each worker is the ordinary crawl (``scrapy crawl aseanplus``) with ``NEWSCRAWL_REDIS_URL`` set:
they share the run's frontier, state and politeness budget through Redis and each publishes
its own feed and manifest (``runs/<run>-w<k>.jsonl``). A worker that dies (a signal, a crash)
is replaced, up to ``restarts`` times per worker, by a new process with a new run id
(``<run>-w<k>.<n>``, so it never overwrites what the dead one might have published): the dead
worker's leases come back to the queue when its heartbeat lapses and the new one, or the
others, fetch them. The maximum run time ends all workers as it ends one crawl: SIGTERM at the
deadline, a second SIGTERM after ``grace``, SIGKILL after another.

``join_manifests`` writes the run manifest, ``runs/<run>.manifest.json``: the workers'
manifests named and summed (the dataset builder reads the workers' feeds as it reads any run),
except the pending and given-up stories: the workers share them (``distributed.pending``) and
every worker reports the ones nobody fetched, so the run's figures are the shared store's
(``SharedPending``), read once every worker has saved its part.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from newscrawl.data_layout import DataLayout, log_name, monitor_results_name, stats_name
from newscrawl.distributed.config import UNQUEUED
from newscrawl.runner.supervisor import ESCALATION, POLL_SECONDS
from newscrawl.runs.exit_codes import ExitCode, Verdict, judge
from newscrawl.runs.manifest import RunManifest

logger = logging.getLogger(__name__)

DEFAULT_RESTARTS: Final = 3
# Exit codes of a worker that ended on its own terms: 0 healthy, 2 degraded (bad argument).
_SETTLED: Final = (0, 2)
LISTING_MONITOR: Final = "monitor listing/stories-found"
MIN_LISTING_COVERAGE: Final = 0.8  # NEWSCRAWL_MIN_LISTING_COVERAGE's default
_SEVERITY: Final = {ExitCode.HEALTHY: 0, ExitCode.DEGRADED: 1, ExitCode.FAILED: 2,
                    ExitCode.LOCKED: 3}

WorkerCommand = Callable[[str, str], tuple[list[str], dict[str, str]]]
# Manifest counts that the workers share rather than add up (see the module).
SHARED_COUNTS: Final = ("pending", "given_up")


@dataclass(frozen=True, slots=True)
class SharedPending:
    """The stories the shared store holds pending (not given up) and given up."""

    pending: int
    given_up: int

    @classmethod
    def read(cls, state_url: str | None) -> SharedPending | None:
        """The counts in the workers' state at ``state_url``; None when it is not a shared store
        (the workers kept no pending stories then) or cannot be read (said in the log)."""
        # Imported here: ``newscrawl run`` without workers needs no Redis client.
        from newscrawl.state.redis_store import RedisStateStore, is_redis_url
        from newscrawl.state.store import StateError

        if not state_url or not is_redis_url(state_url):
            return None
        try:
            store = RedisStateStore.from_url(state_url)
            try:
                stats = store.stats()
            finally:
                store.close()
        except StateError as error:
            logger.warning("pending stories not counted from the shared state (%s): the run "
                           "manifest reports the most any worker saw", error)
            return None
        return cls(stats.pending, len(stats.given_up))


@dataclass(slots=True)
class WorkerSlot:
    name: str  # w1, w2, …
    run_ids: list[str] = field(default_factory=list)  # one per process, the last one running
    returncodes: list[int] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def restarts(self) -> int:
        return max(len(self.run_ids) - 1, 0)


@dataclass(frozen=True, slots=True)
class PoolOutcome:
    slots: tuple[WorkerSlot, ...]
    signals_sent: int

    @property
    def killed_after_deadline(self) -> bool:
        return self.signals_sent > 0


class WorkerPool:
    def __init__(self, run_id: str, workers: int, command: WorkerCommand, *, logs: Path,
                 deadline: float, grace: float, restarts: int = DEFAULT_RESTARTS,
                 inherit_fds: Sequence[int] = ()) -> None:
        self.run_id = run_id
        self.slots = tuple(WorkerSlot(f"w{k}") for k in range(1, workers + 1))
        self.command = command
        self.logs = logs
        self.deadline = deadline
        self.grace = grace
        self.restarts = restarts
        self.inherit_fds = tuple(inherit_fds)

    def run(self) -> PoolOutcome:
        started = time.monotonic()
        for slot in self.slots:
            self._start(slot)
        sent = 0
        try:
            while any(slot.process is not None for slot in self.slots):
                time.sleep(POLL_SECONDS)
                self._reap(allow_restart=sent == 0)
                due = started + self.deadline + sent * self.grace
                if sent < len(ESCALATION) and time.monotonic() >= due:
                    self._signal(ESCALATION[sent])
                    sent += 1
        finally:
            self._stop_all()
        return PoolOutcome(self.slots, sent)

    def _start(self, slot: WorkerSlot) -> None:
        incarnation = len(slot.run_ids)
        run_id = f"{self.run_id}-{slot.name}" + (f".{incarnation}" if incarnation else "")
        argv, env = self.command(slot.name, run_id)
        with (self.logs / log_name(run_id)).open("ab") as log:
            slot.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env=env,
                                            pass_fds=self.inherit_fds)
        slot.run_ids.append(run_id)
        logger.info("worker %s started (pid %d, run %s)", slot.name, slot.process.pid, run_id)

    def _reap(self, *, allow_restart: bool) -> None:
        for slot in self.slots:
            process = slot.process
            if process is None or (code := process.poll()) is None:
                continue
            slot.returncodes.append(code)
            slot.process = None
            if code in _SETTLED:
                logger.info("worker %s exited with %d", slot.name, code)
                continue
            how = f"killed by {_signal_name(-code)}" if code < 0 else f"exited with {code}"
            if allow_restart and slot.restarts < self.restarts:
                logger.warning("worker %s %s: starting a new one (its pages go back to the "
                               "queue when its heartbeat lapses)", slot.name, how)
                self._start(slot)
            else:
                logger.error("worker %s %s: not restarted", slot.name, how)

    def _signal(self, signum: int) -> None:
        for slot in self.slots:
            if slot.process is not None and slot.process.poll() is None:
                logger.warning("worker %s still running at the maximum run time: sending %s",
                               slot.name, signal.Signals(signum).name)
                slot.process.send_signal(signum)

    def _stop_all(self) -> None:
        """Nothing outlives the pool (it holds the run lock through its children)."""
        for slot in self.slots:
            process = slot.process
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_settings(*, redis_url: str, run_id: str, name: str, worker_run_id: str,
                    logs: Path, state: str | None) -> list[str]:
    """The ``-s`` settings that make a crawl worker ``name`` of run ``run_id``."""
    settings = [
        f"NEWSCRAWL_REDIS_URL={redis_url}",
        f"NEWSCRAWL_CRAWL_ID={run_id}",
        f"NEWSCRAWL_WORKER_NAME={name}",
        f"NEWSCRAWL_RUN_ID={worker_run_id}",
        # One monitor result per worker: they run side by side.
        f"NEWSCRAWL_MONITOR_RESULTS={logs / monitor_results_name(worker_run_id)}",
    ]
    if state:
        settings.append(f"NEWSCRAWL_STATE={state}")
    return settings


def join_manifests(layout: DataLayout, run_id: str, outcome: PoolOutcome, started_at: str,
                   logs: Path | None = None, shared: SharedPending | None = None,
                   ) -> tuple[dict[str, Any], Verdict]:
    """The run manifest that joins the workers' (to be written as ``runs/<run_id>.manifest.json``)
    and the run's verdict: the worst of the last workers' (each judged as a single crawl is),
    failed when a worker left no manifest, degraded when a worker was replaced or a request
    could not be queued (``newscrawl/redis/unqueued`` in a worker's stats under ``logs``).

    Pending and given-up stories are ``shared``'s; without it, the most any worker reported
    (every worker reports the stories nobody fetched, so a sum counts them once per worker)."""
    workers: list[dict[str, Any]] = []
    unqueued = 0
    counts: dict[str, int] = {}
    most: dict[str, int] = {}
    verdicts: list[Verdict] = []
    finished: list[str] = []
    for slot in outcome.slots:
        for index, worker_run in enumerate(slot.run_ids):
            manifest = RunManifest.read(layout.manifest(worker_run))
            code = slot.returncodes[index] if index < len(slot.returncodes) else None
            last = index == len(slot.run_ids) - 1
            workers.append({
                "worker": slot.name, "run_id": worker_run, "returncode": code,
                "manifest": layout.manifest(worker_run).name if manifest else None,
                "feed": manifest.feed.path if manifest and manifest.feed else None,
                "finish_reason": manifest.finish_reason if manifest else None,
            })
            unqueued += _unqueued(logs, worker_run)
            if manifest is not None:
                for name, value in manifest.counts.items():
                    counts[name] = counts.get(name, 0) + value
                    most[name] = max(most.get(name, 0), value)
                if manifest.finished_at:
                    finished.append(manifest.finished_at)
            if last:
                verdicts.append(judge(manifest, killed_after_deadline=False)
                                if manifest else Verdict(ExitCode.FAILED, (
                                    f"worker {slot.name} left no manifest",)))
    for name in SHARED_COUNTS:
        if name in counts or shared is not None:
            counts[name] = getattr(shared, name) if shared is not None else most[name]
    # A worker finds only the stories it happened to fetch of the listing pages it happened to
    # read: listing coverage is judged on the run's sums, not per worker.
    reasons = [f"{slot.name}: {reason}" for slot, verdict in zip(outcome.slots, verdicts,
                                                                   strict=True)
               for reason in verdict.reasons if not reason.startswith(LISTING_MONITOR)]
    verdicts = [v if not any(r.startswith(LISTING_MONITOR) for r in v.reasons)
                or v.code != ExitCode.DEGRADED
                or any(not r.startswith(LISTING_MONITOR) for r in v.reasons)
                else Verdict(ExitCode.HEALTHY, ()) for v in verdicts]
    links, listed = counts.get("listing_links", 0), counts.get("listed", 0)
    if links and listed / links < MIN_LISTING_COVERAGE:
        reasons.append(f"{LISTING_MONITOR}: {listed} of {links} listed stories found by the "
                       f"workers together")
        verdicts.append(Verdict(ExitCode.DEGRADED, ()))
    restarted = [f"worker {s.name} was replaced {s.restarts} times" for s in outcome.slots
                 if s.restarts]
    if outcome.killed_after_deadline:
        reasons.append("workers did not exit by the maximum run time and were killed")
    if unqueued:
        reasons.append(f"{unqueued} requests could not be queued in Redis (see the logs)")
    worst = max((v.code for v in verdicts), key=_SEVERITY.__getitem__,
                default=ExitCode.FAILED)
    if worst == ExitCode.HEALTHY and (restarted or outcome.killed_after_deadline or unqueued):
        worst = ExitCode.DEGRADED
    verdict = Verdict(worst, (*reasons, *restarted))
    document = {
        "run_id": run_id, "started_at": started_at,
        "finished_at": max(finished, default=datetime.now(UTC).isoformat()),
        "finish_reason": "finished" if worst != ExitCode.FAILED else "failed",
        "counts": counts, "workers": workers,
        "verdict": {"code": int(verdict.code), "label": verdict.label,
                    "reasons": list(verdict.reasons)},
        "feed": None, "quarantine": None, "monitors": None,
    }
    return document, verdict


def _unqueued(logs: Path | None, worker_run: str) -> int:
    if logs is None:
        return 0
    try:
        stats = json.loads((logs / stats_name(worker_run)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return int(stats.get(UNQUEUED, 0)) if isinstance(stats, dict) else 0


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


