"""Scrapy extension that writes the run manifest once the feeds are published.

It waits for ``feed_exporter_closed``: the feed exporter stores its slots on ``spider_closed``
concurrently with other handlers, so only after that signal is the feed at its final name and
its sha256 final. The monitors (spidermon, on ``spider_closed``) have run by then, so their
verdict is read from ``NEWSCRAWL_MONITOR_RESULTS``. ``scrapy crawl`` alone leaves a manifest
too; ``newscrawl run`` only writes one itself when the crawl died before this point.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from w3lib.url import file_uri_to_path

from newscrawl.config import NewscrawlConfig
from newscrawl.crawl_failure import fail, failures_of
from newscrawl.feeds import storage_error
from newscrawl.feeds.storage import AtomicFileFeedStorage
from newscrawl.items import QuarantineItem
from newscrawl.monitors import tally
from newscrawl.runs.manifest import (
    DROPPED,
    FeedFile,
    RunManifest,
)
from newscrawl.runs.monitor_report import MonitorReport, iso
from newscrawl.spiders.dropped import dropped_by_reason
from newscrawl.spiders.stats import (
    ERRORS,
    LISTED,
    LISTING_LINKS,
    LISTING_PAGES,
    REQUESTS,
    RETRIES,
)
from newscrawl.state import pending

logger = logging.getLogger(__name__)


def run_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The manifest's counts from the crawl stats (Scrapy's, the spider's and the tally's)."""
    keys = {
        "requests": REQUESTS, "listing_pages": LISTING_PAGES,
        "listing_links": LISTING_LINKS, "listed": LISTED, "read": tally.READ,
        "stories": tally.STORIES,
        "new": tally.NEW,
        "updated": tally.UPDATED, "duplicates": tally.DUPLICATES,
        "quarantined": tally.QUARANTINED, "errors": ERRORS, "retries": RETRIES,
        "fallback": tally.FALLBACK,
        "pending": pending.LEFT, "given_up": pending.GIVEN_UP,
    }
    counts = {name: int(stats.get(key) or 0) for name, key in keys.items()}
    # Stories requested and neither published nor quarantined, by reason (newscrawl/dropped/).
    counts.update({f"{DROPPED}{reason}": n for reason, n in dropped_by_reason(stats).items()})
    return counts


@dataclass(frozen=True, slots=True)
class StoredFeed:
    path: Path
    records: int
    quarantine: bool


class ManifestWriter:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.config = NewscrawlConfig.from_settings(crawler.settings)
        self.feeds: list[StoredFeed] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        writer = cls(crawler)
        crawler.signals.connect(writer.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(writer.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return writer

    def feed_slot_closed(self, slot: Any) -> None:
        storage = slot.storage
        if isinstance(storage, AtomicFileFeedStorage):
            path = storage.path
        elif slot.uri.startswith("file:") or "://" not in slot.uri:
            path = Path(file_uri_to_path(slot.uri) if slot.uri.startswith("file:") else slot.uri)
        else:
            return  # not a local file: nothing to hash beside it
        if not path.is_file():  # the store failed; Scrapy logged it
            return
        classes = tuple(getattr(slot.filter, "item_classes", ()))
        self.feeds.append(StoredFeed(path, slot.itemcount, QuarantineItem in classes))

    def feed_exporter_closed(self) -> None:
        runs = self.config.layout.runs.absolute()
        # The run file under runs/ first: ``-O out.jsonl`` is a copy beside it (route_feeds).
        stories = next((f for f in self.feeds if not f.quarantine
                        and f.path.absolute().parent == runs), None) or next(
            (f for f in self.feeds if not f.quarantine), None)
        quarantine = next((f for f in self.feeds if f.quarantine), None)
        run_id = self.run_id()
        # Beside the feed and named after it, even when ``-O out.jsonl`` named the feed.
        target = (self.config.layout.manifest_beside(stories.path) if stories
                  else self.config.layout.manifest(run_id))
        manifest = self.build(run_id, target.parent, stories, quarantine)
        try:
            manifest.write(target)
        except OSError as error:
            fail(self.crawler, f"manifest not written: {storage_error(target, error)}")
            return
        logger.info("Run manifest written to %s", target)

    def run_id(self) -> str:
        # The spider's run id is the one its feeds were named with (FEED_URI_PARAMS).
        spider_run_id = getattr(self.crawler.spider, "run_id", None)
        return str(spider_run_id or self.config.run_id
                   or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))

    def build(self, run_id: str, directory: Path, stories: StoredFeed | None,
              quarantine: StoredFeed | None) -> RunManifest:
        stats = self.crawler.stats.get_stats()
        started_at = iso(stats.get("start_time"))
        return RunManifest(
            run_id=run_id,
            started_at=started_at,
            finished_at=iso(stats.get("finish_time")) or datetime.now(UTC).isoformat(),
            finish_reason=str(stats.get("finish_reason")),
            counts=run_counts(stats),
            coverage=tally.coverage(stats),
            feed=self.describe(stories, directory),
            quarantine=self.describe(quarantine, directory),
            monitors=self.monitor_report(started_at),
            failures=failures_of(self.crawler),
        )

    @staticmethod
    def describe(feed: StoredFeed | None, directory: Path) -> FeedFile | None:
        return FeedFile.describe(feed.path, feed.records, directory) if feed else None

    def monitor_report(self, started_at: str | None) -> MonitorReport | None:
        report = MonitorReport.read(self.config.monitor_results_path)
        if report is None:
            logger.warning("No monitor results at %s: were the monitors enabled?",
                           self.config.monitor_results_path)
            return None
        if report.started_at != started_at:
            # Another crawl's verdict (a stale file): better none than a wrong one.
            logger.warning("Monitor results at %s belong to another crawl",
                           self.config.monitor_results_path)
            return None
        return report
