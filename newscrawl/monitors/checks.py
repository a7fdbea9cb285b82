"""The end-of-crawl checks. Each names what failed so the manifest can say why a run is degraded.

Thresholds come from ``NewscrawlConfig`` (``NEWSCRAWL_*`` settings). A check that has nothing to
measure says so by skipping with a reason, and a check whose input is missing because something
upstream broke (no requests, an empty listing) fails instead: a missing stat must never pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar, cast

from spidermon import monitors
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor

from newscrawl.config import NewscrawlConfig
from newscrawl.monitors import tally
from newscrawl.spiders.thestar import LISTING_LINKS as LISTING_LINKS
from newscrawl.spiders.thestar import LISTING_PAGES as LISTING_PAGES

# Scrapy's own stats.
REQUESTS: Final = "downloader/request_count"
ERRORS: Final = "log_count/ERROR"
RETRIES: Final = "retry/count"
# The spider's: story links first found on a listing page (each once), and the story records
# made from them. Bad pages and failed fetches are the gap between the two.
LISTED: Final = "newscrawl/discovered/listing"
FOUND: Final = "newscrawl/items/listing"
# Listed stories the state store holds and the run did not fetch again: an incremental run on a
# quiet day lists only these, and that is no breakage.
KNOWN_LISTED: Final = "newscrawl/known/listing"
# LISTING_PAGES, LISTING_LINKS (the spider's, re-exported with the stat names above): every
# in-section link each listing page showed, steady whether the stories are new or known.
# Coverage thresholds only mean something over enough stories: a run that read two wire
# stories without a byline is not an authors regression.
MIN_COVERAGE_SAMPLE: Final = 20

_Named = TypeVar("_Named")


def named(label: str) -> Callable[[_Named], _Named]:
    """spidermon's ``monitors.name`` with a type: the label is how the manifest names a check."""
    return cast(Callable[[_Named], _Named], monitors.name(label))


class NewscrawlMonitor(BaseScrapyMonitor):  # type: ignore[misc]
    @property
    def config(self) -> NewscrawlConfig:
        return NewscrawlConfig.from_settings(self.crawler.settings)

    def count(self, key: str) -> int:
        return int(self.stats.get(key) or 0)

    def share(self, part: str, whole: int) -> float:
        return self.count(part) / whole if whole else 0.0


@named("finish-reason")
class FinishReasonMonitor(NewscrawlMonitor):
    @named("finished")
    def test_finished(self) -> None:
        reason = self.stats.get("finish_reason")
        self.assertEqual(reason, "finished", f"the crawl ended with {reason!r}, not 'finished'")


@named("listing")
class ListingMonitor(NewscrawlMonitor):
    @named("stories-found")
    def test_stories_found_versus_listing(self) -> None:
        listed = self.count(LISTED)
        self.assertGreater(listed + self.count(KNOWN_LISTED), 0,
                           "the listing showed no story links")
        if listed == 0:
            self.skipTest("every story the listing showed is known from earlier runs")
        found = self.count(FOUND)
        limit = self.config.min_listing_coverage
        self.assertGreaterEqual(
            found / listed, limit,
            f"{found} of {listed} listed stories found ({found / listed:.0%}, minimum {limit:.0%})",
        )


@named("errors")
class ErrorRateMonitor(NewscrawlMonitor):
    def check_rate(self, stat: str, what: str, limit: float) -> None:
        requests = self.count(REQUESTS)
        self.assertGreater(requests, 0, "the crawl made no requests")
        rate = self.share(stat, requests)
        self.assertLessEqual(
            rate, limit, f"{self.count(stat)} {what} in {requests} requests "
            f"({rate:.1%}, maximum {limit:.1%})",
        )

    @named("error-rate")
    def test_error_rate(self) -> None:
        self.check_rate(ERRORS, "errors", self.config.max_error_rate)

    @named("retry-rate")
    def test_retry_rate(self) -> None:
        self.check_rate(RETRIES, "retries", self.config.max_retry_rate)


@named("field-coverage")
class FieldCoverageMonitor(NewscrawlMonitor):
    def check(self, field: str, minimum: float, sample: int = 1) -> None:
        read = self.count(tally.READ)
        if read < sample:
            self.skipTest(f"{read} stories read in this run, {sample} needed to judge {field}")
        covered = self.share(tally.field_key(field), read)
        self.assertGreaterEqual(
            covered, minimum,
            f"{field} present in {covered:.0%} of {read} stories read (minimum {minimum:.0%})",
        )

    @named("title")
    def test_title(self) -> None:
        self.check("title", 1.0)

    @named("body")
    def test_body(self) -> None:
        self.check("body", 1.0)

    @named("published_at")
    def test_published_at(self) -> None:
        self.check("published_at", 1.0)

    @named("authors")
    def test_authors(self) -> None:
        self.check("authors", self.config.min_authors_coverage, MIN_COVERAGE_SAMPLE)

    @named("agency")
    def test_agency(self) -> None:
        self.check("agency", self.config.min_agency_coverage, MIN_COVERAGE_SAMPLE)


@named("extraction")
class ExtractionMonitor(NewscrawlMonitor):
    @named("boilerplate")
    def test_boilerplate(self) -> None:
        read = self.count(tally.READ)
        if read == 0:
            self.skipTest("no story read in this run")
        leaked, limit = self.share(tally.BOILERPLATE, read), self.config.max_boilerplate_share
        self.assertLessEqual(
            leaked, limit, f"page furniture in {self.count(tally.BOILERPLATE)} of {read} "
            f"bodies ({leaked:.0%}, maximum {limit:.0%})",
        )

    @named("fallback-share")
    def test_fallback_share(self) -> None:
        read = self.count(tally.READ)
        if read == 0:
            self.skipTest("no story read in this run")
        share, limit = self.share(tally.FALLBACK, read), self.config.max_fallback_share
        self.assertLessEqual(
            share, limit, f"{self.count(tally.FALLBACK)} of {read} stories read by the "
            f"fallback extractor ({share:.0%}, maximum {limit:.0%}): has the layout changed?",
        )
