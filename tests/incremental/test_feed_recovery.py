"""Recovery: a run killed between publishing its feed and committing it is committed from the
feed by the next run, so none of its stories is emitted twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pipelines.chain import Run
from pipelines.stories import crawler_for, make_story
from scrapy.exporters import JsonLinesItemExporter

from newscrawl.items import RECORD_FIELDS, StoryItem
from newscrawl.state.commit import StateCommitExtension
from newscrawl.state.sqlite_store import SqliteStateStore


def publish(tmp_path: Path, run_id: str, stories: list[StoryItem], *, append: bool = False) -> Path:
    """The run's story feed as the FeedExporter writes it (FEED_EXPORT_FIELDS = RECORD_FIELDS)."""
    path = tmp_path / "data" / "runs" / f"{run_id}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab" if append else "wb") as file:
        exporter = JsonLinesItemExporter(file, fields_to_export=list(RECORD_FIELDS),
                                         encoding="utf-8")
        for story in stories:
            exporter.export_item(story)
    return path


def killed_run(tmp_path: Path, run_id: str, *slugs: str,
               committed: bool = False) -> list[StoryItem]:
    run = Run(tmp_path, run_id)
    emitted = run.feed(*(make_story(slug) for slug in slugs))
    if committed:
        run.state.store.commit(run_id, [s.id for s in emitted])
    run.state.close()  # SIGKILL: no finish_run, the run stays "running"
    return emitted


def next_run(tmp_path: Path, run_id: str) -> StateCommitExtension:
    extension = StateCommitExtension.from_crawler(crawler_for(tmp_path, NEWSCRAWL_RUN_ID=run_id))
    extension.spider_opened()
    return extension


def store_of(tmp_path: Path) -> SqliteStateStore:
    return SqliteStateStore(tmp_path / "state.sqlite")


def test_a_published_feed_is_committed_and_not_emitted_again(tmp_path: Path) -> None:
    emitted = killed_run(tmp_path, "r1", "a", "b")
    publish(tmp_path, "r1", emitted)

    extension = next_run(tmp_path, "r2")
    assert extension._crawler.stats is not None
    assert extension._crawler.stats.get_value("newscrawl/state/recovered") == 2
    extension.engine_stopped()
    store = store_of(tmp_path)
    for story in emitted:
        stored = store.get(story.id)
        assert stored is not None and stored.version == 1 and stored.signature is not None
    assert store.unfinished_runs() == []
    assert store.last_successful_run() is None  # closed as incomplete: its walk is unknown
    store.close()

    # The digests rebuilt from the feed are the pipeline's own: the stories are unchanged.
    third = Run(tmp_path, "r3")
    assert third.feed(*(make_story(slug) for slug in ("a", "b"))) == []
    third.state.close()


def test_a_run_killed_after_its_commit_is_closed_without_writing(tmp_path: Path) -> None:
    emitted = killed_run(tmp_path, "r1", "a", committed=True)
    publish(tmp_path, "r1", emitted)
    extension = next_run(tmp_path, "r2")
    assert extension._crawler.stats is not None
    assert extension._crawler.stats.get_value("newscrawl/state/recovered") == 0
    assert extension._crawler.stats.get_value("newscrawl/state/recovered_runs") == 1
    extension.engine_stopped()


def test_a_run_killed_before_publishing_has_nothing_to_recover(tmp_path: Path) -> None:
    emitted = killed_run(tmp_path, "r1", "a")
    next_run(tmp_path, "r2").engine_stopped()
    store = store_of(tmp_path)
    assert store.get(emitted[0].id) is None  # never emitted: the next run emits it
    assert "r1" in store.unfinished_runs()
    store.close()


def test_the_newest_version_in_an_appended_feed_wins(tmp_path: Path) -> None:
    first = Run(tmp_path, "r1")
    (v1,) = first.feed(make_story("a"))
    first.commit()
    second = Run(tmp_path, "r2")
    (v2,) = second.feed(make_story("a", title="A new title"))
    second.state.close()  # killed after publishing
    path = publish(tmp_path, "r2", [v1])
    publish(tmp_path, "r2", [v2], append=True)
    path.write_text(path.read_text() + "not json\n")  # someone's edit: skipped, not fatal

    next_run(tmp_path, "r3").engine_stopped()
    store = store_of(tmp_path)
    stored = store.get(v2.id)
    assert stored is not None and stored.version == 2
    store.close()


def test_a_feed_with_bad_bytes_is_recovered_line_by_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emitted = killed_run(tmp_path, "r1", "a", "b")
    path = publish(tmp_path, "r1", emitted[:1])
    with path.open("ab") as feed:
        feed.write(b'{"id": "\xff\xfe", "version": 1}\n')  # not UTF-8: skipped, not fatal
        feed.write(b"not json\n")
    publish(tmp_path, "r1", emitted[1:], append=True)

    extension = next_run(tmp_path, "r2")  # the crawl starts
    assert extension._crawler.stats is not None
    assert extension._crawler.stats.get_value("newscrawl/state/recovered") == 2
    extension.engine_stopped()
    store = store_of(tmp_path)
    assert all(store.get(story.id) is not None for story in emitted)
    assert store.unfinished_runs() == []
    store.close()
    assert "line 2 of" in caplog.text and "line 3 of" in caplog.text
    assert "2 bad lines skipped" in caplog.text


def test_an_unreadable_feed_closes_its_run_and_the_crawl_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    emitted = killed_run(tmp_path, "r1", "a")
    path = publish(tmp_path, "r1", emitted)
    real_open = Path.open

    def failing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    next_run(tmp_path, "r2").engine_stopped()
    monkeypatch.undo()
    store = store_of(tmp_path)
    assert store.get(emitted[0].id) is None
    assert store.unfinished_runs() == []  # closed as incomplete: later crawls do not trip on it
    store.close()
    assert "cannot be read" in caplog.text
