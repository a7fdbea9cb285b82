from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.items import QuarantineItem
from newscrawl.pipelines.version import VersionPipeline

from .chain import Run
from .stories import crawler_for, make_story


def test_a_new_story_is_version_one_and_staged_not_stored(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    story = make_story()
    run.feed(story)
    assert (story.version, story.changed_fields) == (1, [])
    assert run.state.store.get(story.id) is None  # only the extension commits
    assert run.stat("newscrawl/version/new") == 1


def test_an_unchanged_story_is_not_emitted_again(tmp_path: Path) -> None:
    first = Run(tmp_path, "r1")
    first.feed(make_story())
    first.commit()
    second = Run(tmp_path, "r2")
    assert second.feed(make_story(crawled_at="2026-11-27T00:00:00+00:00")) == []
    assert second.stat("newscrawl/version/unchanged") == 1
    assert second.dropped[0].startswith("unchanged since version 1: https://")
    assert second.state.unchanged_ids == [make_story().id]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "Vietnam lifts rice export target"}, ["title"]),
        ({"body": "HANOI: Vietnam raised its target. - Reuters"}, ["body"]),
        ({"authors": ["Jane Doe"]}, ["authors"]),
        ({"tags": ["Vietnam", "rice", "trade"]}, ["tags"]),
        ({"modified_at": "2026-02-12T12:00:00+08:00"}, ["modified_at"]),
        ({"title": "New title", "tags": []}, ["title", "tags"]),
    ],
)
def test_a_changed_story_is_the_next_version_naming_what_changed(
    tmp_path: Path, changes: dict[str, object], expected: list[str]
) -> None:
    first = Run(tmp_path, "r1")
    first.feed(make_story())
    first.commit()
    second = Run(tmp_path, "r2")
    (story,) = second.feed(make_story(**changes))
    assert (story.version, story.changed_fields) == (2, expected)
    assert second.stat("newscrawl/version/changed") == 1


def test_a_fallback_reading_never_replaces_a_stored_version(tmp_path: Path) -> None:
    first = Run(tmp_path, "r1")
    first.feed(make_story())
    first.commit()
    second = Run(tmp_path, "r2")
    # A layout change: the generic extractor's text differs from the stored one.
    assert second.feed(make_story(body="HANOI: Other text. - Reuters", extraction="fallback")) == []
    assert second.stat("newscrawl/version/held_fallback") == 1
    assert second.dropped[0].startswith("read by the fallback extractor; version 1 stays")


def test_a_new_story_read_by_the_fallback_extractor_is_still_emitted(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    (story,) = run.feed(make_story(extraction="fallback"))
    assert story.version == 1


def test_fields_outside_the_tracked_ones_do_not_make_a_version(tmp_path: Path) -> None:
    first = Run(tmp_path, "r1")
    first.feed(make_story())
    first.commit()
    second = Run(tmp_path, "r2")
    moved = make_story(
        related={"next_in": ["https://www.thestar.com.my/x/2026/01/01/y"], "others_also_read": []},
        discovered_via="rss",
        summary="Another summary.",
    )
    assert second.feed(moved) == []


def test_versions_keep_counting_and_keep_first_seen(tmp_path: Path) -> None:
    for n, title in enumerate(["One", "Two", "Three"], start=1):
        run = Run(tmp_path, f"r{n}")
        (story,) = run.feed(make_story(title=title))
        assert story.version == n
        run.commit()
    run = Run(tmp_path, "r4")
    stored = run.state.store.get(make_story().id)
    assert stored is not None and stored.version == 3
    first_run_start = stored.first_seen
    assert first_run_start < stored.last_seen


def test_an_uncommitted_run_emits_the_same_version_again(tmp_path: Path) -> None:
    killed = Run(tmp_path, "r1")
    killed.feed(make_story())
    killed.state.close()  # killed before its feed was stored: nothing committed
    again = Run(tmp_path, "r2")
    (story,) = again.feed(make_story())
    assert story.version == 1


def test_quarantine_items_pass_untouched(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    item = QuarantineItem(url="u", reasons=["r"], stage="parse", crawled_at="t")
    assert run.version.process_item(item) is item


def test_a_crawl_without_the_commit_extension_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    VersionPipeline.from_crawler(crawler_for(tmp_path))
    assert "StateCommitExtension is not in EXTENSIONS" in caplog.text
    caplog.clear()
    enabled = {"newscrawl.state.commit.StateCommitExtension": 100}
    VersionPipeline.from_crawler(crawler_for(tmp_path / "b", EXTENSIONS=enabled))
    assert "EXTENSIONS" not in caplog.text
