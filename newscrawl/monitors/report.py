"""The monitors' verdict as plain data, and the spidermon action that saves it.

A failed spidermon monitor only logs; it changes neither the crawl's exit code nor its stats.
So the suite ends with ``MonitorReportAction``, which writes every monitor's status to a JSON
file that the manifest writer and ``newscrawl run`` read to decide whether the run is healthy.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Self

from spidermon.core.actions import Action

from newscrawl.config import NewscrawlConfig
from newscrawl.extensions.crawl_failure import fail
from newscrawl.extensions.storage_check import storage_error
from newscrawl.feeds import write_atomically

# spidermon's statuses; FAIL and ERROR (the monitor itself crashed) are alarms.
ALARM_STATUSES: Final = frozenset({"FAIL", "ERROR"})


@dataclass(frozen=True, slots=True)
class MonitorOutcome:
    name: str
    status: str
    reason: str | None = None

    @property
    def alarmed(self) -> bool:
        return self.status in ALARM_STATUSES


@dataclass(frozen=True, slots=True)
class MonitorReport:
    started_at: str | None  # the crawl's start_time, to tie a results file to its crawl
    outcomes: tuple[MonitorOutcome, ...]

    @property
    def alarms(self) -> tuple[MonitorOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.alarmed)

    @property
    def passed(self) -> bool:
        return not self.alarms

    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at,
            "passed": self.passed,
            "failed": [outcome.name for outcome in self.alarms],
            "results": [asdict(outcome) for outcome in self.outcomes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        outcomes = tuple(
            MonitorOutcome(str(row["name"]), str(row["status"]), row.get("reason"))
            for row in data.get("results", [])
        )
        return cls(data.get("started_at"), outcomes)

    def write(self, path: Path) -> None:
        text = json.dumps(self.to_json(), indent=2) + "\n"
        write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))

    @classmethod
    def read(cls, path: Path) -> Self | None:
        """The report at ``path``; None when there is none or it is unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls.from_json(data) if isinstance(data, dict) else None


def iso(value: Any) -> str | None:
    """A stats timestamp (``start_time``, ``finish_time``) as ISO 8601 UTC; None if absent."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return None


def outcomes_of(result: Any) -> tuple[MonitorOutcome, ...]:
    """Flatten a spidermon ``MonitorResult`` into outcomes named ``<monitor>/<check>``."""
    return tuple(
        MonitorOutcome(
            name=row.monitor.name,
            status=row.status,
            reason=_short_reason(row.reason or row.error),
        )
        for row in result.monitor_results
    )


def _short_reason(text: str | None) -> str | None:
    # A FAIL's reason is its assertion message; an ERROR carries a traceback whose last line
    # says what broke.
    if not text:
        return None
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else None


class MonitorReportAction(Action):  # type: ignore[misc]
    """Write the suite's results to ``NEWSCRAWL_MONITOR_RESULTS`` (see ``NewscrawlConfig``)."""

    def run_action(self) -> None:
        crawler = self.data.crawler
        config = NewscrawlConfig.from_settings(crawler.settings)
        report = MonitorReport(
            started_at=iso(crawler.stats.get_value("start_time")),
            outcomes=outcomes_of(self.result),
        )
        try:
            report.write(config.monitor_results_path)
        except OSError as error:  # the run fails with one line, not the action's traceback
            fail(crawler, "monitor results not written: "
                 f"{storage_error(config.monitor_results_path, error)}")
