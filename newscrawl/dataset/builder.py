"""``DatasetBuilder``: every run's feed compacted into one current dataset for the analysts.

Runs only ever add records (a new story, or a new version of one), so the dataset is a pure
function of the published run files: the latest version of each story id (highest ``version``,
then latest ``crawled_at``, then the later run), near-duplicates kept with ``duplicate_of`` set,
sorted by ``published_at`` then ``id``. Being a pure function, it can be rebuilt at any time and
two builds of the same runs are byte-identical.

A line that is not a valid record (bad JSON, bad UTF-8, fails the JSON Schema) is counted and
logged with its file and line, and left out; it never stops the build.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from jsonschema import Draft202012Validator

from newscrawl.data_layout import FEED_SUFFIX, DataLayout
from newscrawl.dataset.arrow_schema import to_table
from newscrawl.feeds import write_atomically
from newscrawl.items import RECORD_FIELDS
from newscrawl.schema import story_schema, upgraded

logger = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class BadLine:
    file: str
    line: int
    reason: str


@dataclass(slots=True)
class BuildReport:
    run_files: int = 0
    records_read: int = 0
    stories: int = 0
    duplicates: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)
    jsonl_path: Path | None = None
    parquet_path: Path | None = None

    def summary(self) -> str:
        return (f"{self.stories} stories ({self.duplicates} flagged duplicates) from "
                f"{self.records_read} records in {self.run_files} run files; "
                f"{len(self.bad_lines)} bad lines skipped")


@dataclass(frozen=True, slots=True)
class _Candidate:
    rank: tuple[int, datetime, int]  # version, crawled_at, run file order
    record: dict[str, Any]


class DatasetBuilder:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.layout = DataLayout(data_dir)
        self.runs_dir = self.layout.runs
        self._validator = Draft202012Validator(story_schema())

    def run_files(self) -> list[Path]:
        """Published run feeds only: part files of running or killed crawls are hidden names."""
        if not self.runs_dir.is_dir():
            return []
        return sorted(p for p in self.runs_dir.glob(f"*{FEED_SUFFIX}")
                      if not p.name.startswith(".") and p.is_file())

    def build(self) -> BuildReport:
        report = BuildReport()
        latest: dict[str, _Candidate] = {}
        for order, path in enumerate(self.run_files()):
            report.run_files += 1
            for record in self.read_records(path, report):
                report.records_read += 1
                candidate = _Candidate(
                    (record["version"], datetime.fromisoformat(record["crawled_at"]), order),
                    record,
                )
                kept = latest.get(record["id"])
                if kept is None or candidate.rank >= kept.rank:
                    latest[record["id"]] = candidate
        records = sorted(
            (c.record for c in latest.values()),
            key=lambda r: (datetime.fromisoformat(r["published_at"]), r["id"]),
        )
        report.stories = len(records)
        report.duplicates = sum(1 for r in records if r["duplicate_of"] is not None)
        report.jsonl_path = self.write_jsonl(records)
        report.parquet_path = self.write_parquet(records)
        for bad in report.bad_lines:
            logger.warning("Skipped %s line %d: %s", bad.file, bad.line, bad.reason)
        logger.info("Dataset built: %s", report.summary())
        return report

    def read_records(self, path: Path, report: BuildReport) -> Iterator[dict[str, Any]]:
        name = str(path.relative_to(self.data_dir))
        with path.open("rb") as file:
            for number, raw in enumerate(file, start=1):
                if not raw.strip():
                    continue
                try:
                    # Feeds of runs before schema 1.3 stay in the dataset.
                    record = upgraded(json.loads(raw.decode("utf-8")))
                except (UnicodeDecodeError, ValueError) as error:
                    report.bad_lines.append(BadLine(name, number, f"not JSON: {error}"))
                    continue
                problem = self.problem(record)
                if problem is not None:
                    report.bad_lines.append(BadLine(name, number, problem))
                    continue
                yield {key: record[key] for key in RECORD_FIELDS}

    def problem(self, record: Any) -> str | None:
        """Why ``record`` cannot enter the dataset, or None when it is a valid story record."""
        error = next(iter(self._validator.iter_errors(record)), None)
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path) or "record"
            return f"schema: {where}: {error.message}"[:300]
        try:
            datetime.fromisoformat(record["published_at"])
            datetime.fromisoformat(record["crawled_at"])
        except ValueError as error:  # the schema's patterns allow a 13th month
            return f"bad time: {error}"
        return None

    def write_jsonl(self, records: list[dict[str, Any]]) -> Path:
        def write(temp: Path) -> None:
            with temp.open("w", encoding="utf-8", newline="\n") as file:
                for record in records:
                    file.write(json.dumps(record, ensure_ascii=False) + "\n")

        return write_atomically(self.layout.dataset_jsonl, write, fsync=True)

    def write_parquet(self, records: list[dict[str, Any]]) -> Path:
        def write(temp: Path) -> None:
            # Fixed writer options: the file must not depend on pyarrow's changing defaults.
            pq.write_table(to_table(records), temp, compression="zstd", compression_level=3,
                           use_dictionary=True, write_statistics=True, version="2.6")

        return write_atomically(self.layout.dataset_parquet, write, fsync=True)
