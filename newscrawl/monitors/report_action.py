"""The spidermon action that saves the monitors' verdict.

A failed spidermon monitor only logs; it changes neither the crawl's exit code nor its stats.
So the suite ends with ``MonitorReportAction``, which writes every monitor's status to a JSON
file (``newscrawl.runs.monitor_report``) that the manifest writer and ``newscrawl run`` read to
decide whether the run is healthy.
"""

from __future__ import annotations

from typing import Any

from spidermon.core.actions import Action

from newscrawl.config import NewscrawlConfig
from newscrawl.crawl_failure import fail
from newscrawl.feeds import storage_error
from newscrawl.runs.monitor_report import MonitorOutcome, MonitorReport, iso


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
