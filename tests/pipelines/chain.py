"""Run stories through dedupe and version as a crawl would, committing what a feed stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem

from newscrawl.items import StoryItem
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.version import VersionPipeline
from newscrawl.state.crawl import crawl_state_for

from .stories import crawler_for


class Run:
    """One crawl's dedupe + version stages over a state file under ``tmp_path``."""

    def __init__(self, tmp_path: Path, run_id: str, **settings: Any) -> None:
        # The stories are dated early 2026: a window of ten years keeps them all in reach.
        settings.setdefault("NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS", 3650)
        self.crawler = crawler_for(tmp_path, NEWSCRAWL_RUN_ID=run_id, **settings)
        self.state = crawl_state_for(self.crawler)
        self.dedupe = DedupePipeline.from_crawler(self.crawler)
        self.version = VersionPipeline.from_crawler(self.crawler)
        self.state.store.begin_run(run_id, self.state.started_at.isoformat())
        self.dedupe.open_spider()
        self.emitted: list[StoryItem] = []
        self.dropped: list[str] = []

    def feed(self, *stories: StoryItem) -> list[StoryItem]:
        out = []
        for story in stories:
            try:
                item = self.version.process_item(self.dedupe.process_item(story))
            except DropItem as exc:
                self.dropped.append(str(exc))
                continue
            self.emitted.append(item)
            out.append(item)
        return out

    def stat(self, key: str) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats.get_value(key)

    def commit(self) -> None:
        """What StateCommitExtension does once the story feed is stored."""
        self.state.store.commit(self.state.run_id, [s.id for s in self.emitted])
        self.state.close()
