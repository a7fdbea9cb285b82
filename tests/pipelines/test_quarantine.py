from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from newscrawl.items import QuarantineItem
from newscrawl.pipelines.quarantine import QuarantinePipeline

from .stories import crawler_for, make_story, stat, story_url


def quarantined(html: str | None, stage: str = "validate") -> QuarantineItem:
    return QuarantineItem(
        url=story_url("bad"),
        reasons=["empty-body"],
        stage=stage,
        crawled_at="2026-11-27T00:00:00+00:00",
        html=html,
    )


def test_the_page_is_saved_beside_the_feed_and_replaced_by_its_path(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    pipeline = QuarantinePipeline.from_crawler(crawler)
    html = "<html><body><h1>Broken “page”</h1>"
    item = pipeline.process_item(quarantined(html))
    digest = hashlib.sha256(html.encode()).hexdigest()
    expected = tmp_path / "data" / "quarantine" / "20261127T000000Z" / f"{digest}.html"
    assert item.html is None
    assert item.html_path == str(expected)
    assert expected.read_text(encoding="utf-8") == html
    assert item.reasons == ["empty-body"]
    assert stat(crawler, "newscrawl/quarantine/items/validate") == 1
    assert stat(crawler, "newscrawl/quarantine/html_saved") == 1
    assert [p.name for p in expected.parent.iterdir()] == [expected.name]  # no part file left


def test_an_item_without_a_page_is_counted_and_passed_on(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    item = QuarantinePipeline.from_crawler(crawler).process_item(quarantined(None, "parse"))
    assert item.html_path is None
    assert stat(crawler, "newscrawl/quarantine/items/parse") == 1
    assert not (tmp_path / "data" / "quarantine").exists()


def test_a_page_that_cannot_be_written_keeps_the_record_with_a_reason(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    blocker = tmp_path / "data" / "quarantine"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the directory should be")
    item = QuarantinePipeline.from_crawler(crawler).process_item(quarantined("<html>"))
    assert item.html is None and item.html_path is None
    assert item.reasons[0] == "empty-body"
    assert item.reasons[1].startswith("html-not-saved: ")
    assert stat(crawler, "newscrawl/quarantine/html_not_saved") == 1


def test_a_page_with_lone_surrogates_is_still_saved(tmp_path: Path) -> None:
    pipeline = QuarantinePipeline.from_crawler(crawler_for(tmp_path))
    item = pipeline.process_item(quarantined("<p>bad \udcff byte</p>"))
    assert item.html_path is not None
    assert Path(item.html_path).read_bytes() == b"<p>bad ? byte</p>"


def test_the_same_page_is_stored_once(tmp_path: Path) -> None:
    pipeline = QuarantinePipeline.from_crawler(crawler_for(tmp_path))
    first = pipeline.process_item(quarantined("<html>same</html>")).html_path
    second = pipeline.process_item(quarantined("<html>same</html>")).html_path
    assert first == second
    assert first is not None and len(list(Path(first).parent.iterdir())) == 1


def test_stories_pass_untouched(tmp_path: Path) -> None:
    story = make_story()
    assert QuarantinePipeline.from_crawler(crawler_for(tmp_path)).process_item(story) is story
    assert story.raw_html is not None


def test_a_page_that_fails_mid_write_leaves_no_part_file(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    crawler = crawler_for(tmp_path)
    pipeline = QuarantinePipeline.from_crawler(crawler)

    def full_disk(self: Path, data: bytes) -> int:
        with self.open("wb") as file:
            file.write(data[:3])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    item = pipeline.process_item(quarantined("<html><body>half</body></html>"))
    assert item.html_path is None
    assert item.reasons[1].startswith("html-not-saved: ")
    run_dir = tmp_path / "data" / "quarantine" / "20261127T000000Z"
    assert list(run_dir.iterdir()) == []
