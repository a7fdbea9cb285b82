"""The suite that runs when the spider closes, and the action that records its verdict."""

from __future__ import annotations

from typing import ClassVar

from spidermon import MonitorSuite

from newscrawl.monitors.checks import (
    ErrorRateMonitor,
    ExtractionMonitor,
    FieldCoverageMonitor,
    FinishReasonMonitor,
    ListingMonitor,
)
from newscrawl.monitors.drift import DriftMonitor
from newscrawl.monitors.others import OthersAlsoReadMonitor
from newscrawl.monitors.pending import PendingMonitor
from newscrawl.monitors.report import MonitorReportAction


class CrawlHealthMonitorSuite(MonitorSuite):  # type: ignore[misc]
    monitors: ClassVar[list[type]] = [
        FinishReasonMonitor,
        ListingMonitor,
        ErrorRateMonitor,
        FieldCoverageMonitor,
        ExtractionMonitor,
        DriftMonitor,
        PendingMonitor,
        OthersAlsoReadMonitor,
    ]
    # "finished" actions run whether the monitors passed or not: the verdict is always saved.
    monitors_finished_actions: ClassVar[list[type]] = [MonitorReportAction]
