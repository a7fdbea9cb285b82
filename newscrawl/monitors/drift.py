"""Drift: this run against the recent ones, read from their manifests (the run history).

A site change rarely breaks a crawl outright; more often the listing quietly shows fewer links
or a byline selector stops matching on half the pages. Each check compares one figure with the
median of the last ``NEWSCRAWL_DRIFT_WINDOW`` finished runs and alarms when it fell by more
than ``NEWSCRAWL_MAX_DRIFT_DROP`` of that median.
"""

from __future__ import annotations

from statistics import median
from typing import Final

from newscrawl.monitors import tally
from newscrawl.monitors.checks import MIN_COVERAGE_SAMPLE, NewscrawlMonitor, named
from newscrawl.runs.manifest import RunManifest, recent_manifests
from newscrawl.spiders.stats import LISTING_LINKS, LISTING_PAGES

# Fewer past runs than this and a median is one run's whim, not a baseline.
MIN_HISTORY: Final = 3


@named("drift")
class DriftMonitor(NewscrawlMonitor):
    def history(self) -> list[RunManifest]:
        config = self.config
        runs = recent_manifests(config.layout, config.drift_window * 2,
                                exclude=config.run_id)
        finished = [run for run in runs if run.finish_reason == "finished"]
        return finished[: config.drift_window]

    def compare(self, what: str, current: float, past: list[float]) -> None:
        if len(past) < MIN_HISTORY:
            self.skipTest(f"{len(past)} past runs measured {what}, {MIN_HISTORY} needed")
        baseline = median(past)
        floor = baseline * (1 - self.config.max_drift_drop)
        self.assertGreaterEqual(
            current, floor,
            f"{what} {current:g} is below {floor:g}, the floor set by the median {baseline:g} "
            f"of the last {len(past)} runs",
        )

    @named("links-per-listing-page")
    def test_links_per_listing_page(self) -> None:
        # Per page, not per run: an incremental run reads one listing page on a quiet day and
        # the whole section after missed runs, and both are healthy.
        pages = self.count(LISTING_PAGES)
        if not pages:
            self.skipTest("no listing page was read in this run")
        past = [
            run.counts["listing_links"] / run.counts["listing_pages"] for run in self.history()
            if run.counts.get("listing_pages")
        ]
        self.compare("story links per listing page", self.count(LISTING_LINKS) / pages, past)

    def compare_coverage(self, field: str) -> None:
        read = self.count(tally.READ)
        if read < MIN_COVERAGE_SAMPLE:
            self.skipTest(f"{read} stories read in this run, {MIN_COVERAGE_SAMPLE} needed")
        past = [
            run.coverage[field] for run in self.history()
            if field in run.coverage and run.counts.get("read", 0) >= MIN_COVERAGE_SAMPLE
        ]
        self.compare(f"{field} coverage", self.share(tally.field_key(field), read), past)

    @named("authors-coverage")
    def test_authors_coverage(self) -> None:
        self.compare_coverage("authors")

    @named("agency-coverage")
    def test_agency_coverage(self) -> None:
        self.compare_coverage("agency")
