"""Where everything lives in a data directory: the one definition that the crawl, the runner,
the monitors, the dataset builder and the report read.

    <data dir>/
      runs/<run>.jsonl, runs/<run>.manifest.json   each run's story feed and manifest
      quarantine/<run>.jsonl, quarantine/<run>/    each run's quarantine feed and saved pages
      logs/<run>.log, logs/<run>.stats.json        each run's log and final crawl stats
      state.sqlite, monitors.json, run.lock        unless NEWSCRAWL_STATE / _MONITOR_RESULTS say
      dataset.jsonl, dataset.parquet, report.html  built from the runs' feeds
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

RUNS_DIR: Final = "runs"
QUARANTINE_DIR: Final = "quarantine"
LOGS_DIR: Final = "logs"
STATE_FILE: Final = "state.sqlite"
MONITOR_RESULTS_FILE: Final = "monitors.json"
LOCK_NAME: Final = "run.lock"
DATASET_JSONL: Final = "dataset.jsonl"
DATASET_PARQUET: Final = "dataset.parquet"
REPORT_FILE: Final = "report.html"
FEED_SUFFIX: Final = ".jsonl"
_MANIFEST_SUFFIX: Final = ".manifest.json"
# Scrapy's FEEDS take a URI template: the spider's run id fills it in.
RUN_ID_PARAM: Final = "%(run_id)s"


@dataclass(frozen=True, slots=True)
class DataLayout:
    """The paths of one data directory (``root``, as given: relative stays relative)."""

    root: Path

    @property
    def runs(self) -> Path:
        return self.root / RUNS_DIR

    @property
    def quarantine(self) -> Path:
        return self.root / QUARANTINE_DIR

    @property
    def logs(self) -> Path:
        return self.root / LOGS_DIR

    @property
    def state(self) -> Path:
        return self.root / STATE_FILE

    @property
    def monitor_results(self) -> Path:
        return self.root / MONITOR_RESULTS_FILE

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def dataset_jsonl(self) -> Path:
        return self.root / DATASET_JSONL

    @property
    def dataset_parquet(self) -> Path:
        return self.root / DATASET_PARQUET

    @property
    def report(self) -> Path:
        return self.root / REPORT_FILE

    def run_feed(self, run_id: str = RUN_ID_PARAM) -> Path:
        return self.runs / feed_name(run_id)

    def quarantine_feed(self, run_id: str = RUN_ID_PARAM) -> Path:
        return self.quarantine / feed_name(run_id)

    def quarantine_pages(self, run_id: str) -> Path:
        return self.quarantine / run_id

    def manifest(self, run_id: str) -> Path:
        return self.runs / f"{run_id}{_MANIFEST_SUFFIX}"

    def manifests(self) -> list[Path]:
        """Every run's manifest under ``runs/``, oldest first (run ids sort by time)."""
        return sorted(self.runs.glob(f"*{_MANIFEST_SUFFIX}")) if self.runs.is_dir() else []

    @staticmethod
    def manifest_beside(feed: Path) -> Path:
        """The manifest of a feed ``-O`` put outside ``runs/``: beside it, named after it."""
        return feed.with_name(feed.stem + _MANIFEST_SUFFIX)

    def run_log(self, run_id: str) -> Path:
        return self.logs / log_name(run_id)

    def run_stats(self, run_id: str) -> Path:
        return self.logs / stats_name(run_id)


# The names of one run's files, for a directory given apart (``-O``, a pool's log directory).
def feed_name(run_id: str) -> str:
    return f"{run_id}{FEED_SUFFIX}"


def log_name(run_id: str) -> str:
    return f"{run_id}.log"


def stats_name(run_id: str) -> str:
    return f"{run_id}.stats.json"


def monitor_results_name(run_id: str) -> str:
    """A worker's monitor results, beside its log (workers of one run judge side by side)."""
    return f"{run_id}.monitors.json"

