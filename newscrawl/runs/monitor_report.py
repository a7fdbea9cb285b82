"""The monitors' verdict as plain data: what the run manifest, ``newscrawl run`` and the report
read to decide whether a run is healthy.

It is written by ``newscrawl.monitors.report_action.MonitorReportAction`` at the end of a crawl,
and kept apart from it so readers of a run's outcome load no spidermon.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Self

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
