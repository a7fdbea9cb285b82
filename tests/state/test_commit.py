"""StateCommitExtension: stories become "seen" only once the feed holding them is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pipelines.chain import Run
from pipelines.stories import crawler_for, make_story
from scrapy.extensions.feedexport import FileFeedStorage, ItemFilter

from newscrawl.items import QuarantineItem, StoryItem
from newscrawl.state.commit import StateCommitExtension
from newscrawl.state.store import StateError

STORIES = "runs/%(run_id)s.jsonl"
QUARANTINE = "quarantine/%(run_id)s.jsonl"


@dataclass
class Slot:
    """What ``feed_slot_closed`` hands over: the parts of Scrapy's FeedSlot the extension reads."""

    uri_template: str
    uri: str
    itemcount: int
    storage: Any


class Crawl:
    """One run: pipelines staging stories, the extension watching a story and a quarantine feed."""

    def __init__(self, tmp_path: Path, run_id: str, feeds: dict[str, Any] | None = None) -> None:
        self.tmp_path = tmp_path
        self.run = Run(tmp_path, run_id)
        self.extension = StateCommitExtension.from_crawler(self.run.crawler)
        self.extension.watch_feeds(
            feeds
            or {
                STORIES: ItemFilter({"item_classes": [StoryItem]}),
                QUARANTINE: ItemFilter({"item_classes": [QuarantineItem]}),
            }
        )

    @property
    def store(self) -> Any:
        return self.run.state.store

    def scrape(self, *items: Any) -> list[Any]:
        """Items through the pipelines; what survives is 'scraped' (exported to its feeds)."""
        out = []
        for item in items:
            passed = self.run.feed(item) if isinstance(item, StoryItem) else [item]
            for scraped in passed:
                self.extension.item_scraped(scraped)
                out.append(scraped)
        return out

    def slot(self, template: str, itemcount: int, *, written: bool = True) -> Slot:
        path = self.tmp_path / f"{template.replace('%(run_id)s', self.run.state.run_id)}"
        if written:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("{}\n" * itemcount)
        return Slot(template, str(path), itemcount, FileFeedStorage(str(path)))

    def close_slot(self, template: str, itemcount: int, *, written: bool = True) -> None:
        self.extension.feed_slot_closed(self.slot(template, itemcount, written=written))

    def seen(self, story: StoryItem) -> bool:
        return self.store.get(story.id) is not None

    def finish(self) -> None:
        self.extension.feed_exporter_closed()
        self.extension.engine_stopped()


def stories(*slugs: str) -> list[StoryItem]:
    return [make_story(slug) for slug in slugs]


def quarantined() -> QuarantineItem:
    return QuarantineItem(url="u", reasons=["empty-body"], stage="parse", crawled_at="t")


def test_nothing_is_seen_until_the_story_feed_is_stored(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    a, b = crawl.scrape(*stories("a", "b"))
    crawl.scrape(quarantined())
    assert not crawl.seen(a) and not crawl.seen(b)
    crawl.close_slot(QUARANTINE, 1)
    assert not crawl.seen(a)
    crawl.close_slot(STORIES, 2)
    assert crawl.seen(a) and crawl.seen(b)
    assert crawl.run.stat("newscrawl/state/committed") == 2
    crawl.finish()


def test_a_finished_run_is_recorded_with_its_newest_story(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    crawl.extension.spider_opened()  # no FeedExporter in this crawler: warns, begins the run
    crawl.extension.watch_feeds({STORIES: ItemFilter({"item_classes": [StoryItem]})})
    older = make_story("older", published_at="2026-02-11T08:00:00+08:00")
    newer = make_story("newer", published_at="2026-02-12T08:00:00+08:00")
    crawl.scrape(newer, older)
    crawl.close_slot(STORIES, 2)
    crawl.extension.feed_exporter_closed()
    run = crawl.store.last_successful_run()
    assert run is not None
    assert (run.run_id, run.stories_committed, run.newest_story_id) == ("r1", 2, newer.id)
    crawl.extension.engine_stopped()


def test_a_run_killed_before_the_feed_is_stored_emits_its_stories_again(tmp_path: Path) -> None:
    killed = Crawl(tmp_path, "r1")
    killed.scrape(*stories("a", "b"))
    killed.run.state.close()  # the process dies: no slot closed, nothing committed

    again = Crawl(tmp_path, "r2")
    emitted = again.scrape(*stories("a", "b"))
    assert [(s.id, s.version) for s in emitted] == [(s.id, 1) for s in stories("a", "b")]
    again.close_slot(STORIES, 2)
    again.finish()

    third = Crawl(tmp_path, "r3")
    assert third.scrape(*stories("a", "b")) == []  # seen and unchanged: emitted once only
    third.finish()


def test_a_slot_whose_store_failed_commits_nothing(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    (story,) = crawl.scrape(*stories("a"))
    assert crawl.run.crawler.stats is not None
    crawl.run.crawler.stats.inc_value("feedexport/failed_count/FileFeedStorage")
    crawl.close_slot(STORIES, 1)
    assert not crawl.seen(story)
    crawl.finish()
    assert crawl.run.stat("newscrawl/state/uncommitted") == 1


def test_a_slot_whose_file_is_missing_commits_nothing(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    (story,) = crawl.scrape(*stories("a"))
    crawl.close_slot(STORIES, 1, written=False)
    assert not crawl.seen(story)
    crawl.extension.feed_exporter_closed()
    assert crawl.store.last_successful_run() is None  # the run is incomplete
    crawl.extension.engine_stopped()


def test_batches_commit_slot_by_slot_in_order(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    a, b, c = crawl.scrape(*stories("a", "b", "c"))
    crawl.close_slot(STORIES, 2)
    assert [crawl.seen(s) for s in (a, b, c)] == [True, True, False]
    crawl.close_slot(STORIES, 1)
    assert crawl.seen(c)
    crawl.finish()


def test_a_story_in_two_feeds_waits_for_both(tmp_path: Path) -> None:
    both = {
        "a.jsonl": ItemFilter({"item_classes": [StoryItem]}),
        "b.parquet": ItemFilter({}),  # takes every item, quarantined ones too
    }
    crawl = Crawl(tmp_path, "r1", both)
    crawl.scrape(quarantined())
    (story,) = crawl.scrape(*stories("a"))
    crawl.close_slot("a.jsonl", 1)
    assert not crawl.seen(story)
    crawl.close_slot("b.parquet", 2)  # itemcount includes the quarantined item
    assert crawl.seen(story)
    crawl.finish()


def test_a_slot_reported_before_its_last_item_arrived_still_counts_it(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    a, b = stories("a", "b")
    crawl.scrape(a)
    crawl.run.feed(b)  # staged, but its item_scraped comes after the slot's signal
    crawl.close_slot(STORIES, 2)
    assert crawl.seen(a) and not crawl.seen(b)
    crawl.extension.item_scraped(b)
    assert crawl.seen(b)
    crawl.finish()


def test_stories_staged_but_never_scraped_are_discarded(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    (dropped_later,) = crawl.run.feed(*stories("a"))  # a later pipeline dropped it
    crawl.close_slot(STORIES, 0)
    crawl.finish()
    assert crawl.run.stat("newscrawl/state/discarded") == 1
    reopened = Run(tmp_path, "r2")
    assert reopened.state.store.get(dropped_later.id) is None


def test_unchanged_stories_get_their_last_seen_at_the_end(tmp_path: Path) -> None:
    first = Crawl(tmp_path, "r1")
    (story,) = first.scrape(*stories("a"))
    first.close_slot(STORIES, 1)
    first.finish()
    second = Crawl(tmp_path, "r2")
    before = second.store.get(story.id).last_seen
    assert second.scrape(*stories("a")) == []
    second.extension.feed_exporter_closed()
    assert second.store.get(story.id).last_seen > before
    second.extension.engine_stopped()


def test_a_bad_state_file_stops_the_crawl_when_the_extension_is_built(tmp_path: Path) -> None:
    (tmp_path / "state.sqlite").write_bytes(b"garbage" * 100)
    with pytest.raises(StateError, match="not a SQLite database"):
        StateCommitExtension.from_crawler(crawler_for(tmp_path))


def test_a_story_reported_late_in_a_failed_slot_is_not_committed(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    (story,) = crawl.run.feed(*stories("a"))
    crawl.close_slot(STORIES, 1, written=False)  # the slot failed before item_scraped came
    crawl.extension.item_scraped(story)
    assert not crawl.seen(story)
    crawl.finish()
    assert crawl.run.stat("newscrawl/state/uncommitted") == 1


def test_a_story_no_feed_takes_is_counted_and_never_committed(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1", {QUARANTINE: ItemFilter({"item_classes": [QuarantineItem]})})
    (story,) = crawl.scrape(*stories("a"))
    crawl.finish()
    assert crawl.run.stat("newscrawl/state/in_no_feed") == 1
    assert Run(tmp_path, "r2").state.store.get(story.id) is None


@pytest.mark.parametrize("cut", ["finish_reason", "walk"])
def test_a_run_cut_short_commits_its_stories_but_is_not_successful(tmp_path: Path,
                                                                   cut: str) -> None:
    # The next run must still page back past it (catch-up), so it is not "ok".
    crawl = Crawl(tmp_path, "r1")
    (story,) = crawl.scrape(*stories("a"))
    if cut == "finish_reason":
        assert crawl.run.crawler.stats is not None
        crawl.run.crawler.stats.set_value("finish_reason", "closespider_timeout")
    else:
        crawl.run.state.walk_complete = False  # e.g. max_pages stopped the listing
    crawl.close_slot(STORIES, 1)
    crawl.extension.feed_exporter_closed()
    assert crawl.seen(story)
    assert crawl.store.last_successful_run() is None
    assert crawl.store.catch_up_story() is None
    crawl.extension.engine_stopped()


def test_a_complete_walk_makes_a_successful_run_and_a_catch_up_story(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path, "r1")
    crawl.run.state.walk_complete = True
    older = make_story("older", published_at="2026-02-11T08:00:00+08:00")
    newer = make_story("newer", published_at="2026-02-12T08:00:00+08:00")
    crawl.scrape(older, newer)
    crawl.close_slot(STORIES, 2)
    crawl.extension.feed_exporter_closed()
    assert crawl.store.catch_up_story() == (newer.id, newer.published_at)
    crawl.extension.engine_stopped()
