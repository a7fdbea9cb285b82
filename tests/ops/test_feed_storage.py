"""AtomicFileFeedStorage: a feed is invisible until stored whole; dead writers' parts are swept."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawl.feeds import PartFile, sweep_stale_parts, write_atomically
from newscrawl.feeds.storage import (
    AtomicFileFeedStorage,
    FeedNotStoredError,
    ReportedStoreFilter,
)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_feed_is_hidden_until_stored(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "20250101T000000Z.jsonl"
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": True})
    file = storage.open(spider=None)
    file.write(b'{"id": "a"}\n')
    visible = [p.name for p in target.parent.iterdir() if not p.name.startswith(".")]
    assert visible == []
    assert storage.part.path.exists()

    storage.store(file)

    assert target.read_bytes() == b'{"id": "a"}\n'
    assert not storage.part.path.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_file_uri_is_read_as_a_path(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "x.jsonl"
    assert AtomicFileFeedStorage(target.as_uri()).path == target


def test_constructor_touches_nothing(tmp_path: Path) -> None:
    # Scrapy builds one from the URI template, placeholders and all, to check support.
    AtomicFileFeedStorage(str(tmp_path / "runs" / "%(run_id)s.jsonl"))
    assert list(tmp_path.iterdir()) == []


def test_append_mode_keeps_the_existing_feed(tmp_path: Path) -> None:
    target = tmp_path / "feed.jsonl"
    target.write_bytes(b"old\n")
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": False})
    file = storage.open(spider=None)
    file.write(b"new\n")
    assert target.read_bytes() == b"old\n"  # readers still see the old feed
    storage.store(file)
    assert target.read_bytes() == b"old\nnew\n"


def test_part_file_names_round_trip(tmp_path: Path) -> None:
    part = PartFile.for_target(tmp_path / "x.jsonl", 4242)
    assert part.path.name == ".x.jsonl.part-4242"
    assert PartFile.parse(part.path) == part
    assert PartFile.parse(tmp_path / "x.jsonl") is None
    assert PartFile.parse(tmp_path / ".x.jsonl.part-abc") is None


def test_sweep_removes_dead_writers_parts_only(tmp_path: Path) -> None:
    dead = PartFile.for_target(tmp_path / "a.jsonl", dead_pid()).path
    mine = PartFile.for_target(tmp_path / "b.jsonl", os.getpid()).path
    published = tmp_path / "c.jsonl"
    for path in (dead, mine, published):
        path.write_bytes(b"x\n")
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as live_writer:
        try:
            live = PartFile.for_target(tmp_path / "d.jsonl", live_writer.pid).path
            live.write_bytes(b"x\n")
            removed = sweep_stale_parts(tmp_path)
        finally:
            live_writer.kill()
    assert removed == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [mine.name, published.name, live.name]
    )


def test_sweep_of_a_missing_directory_is_a_no_op(tmp_path: Path) -> None:
    assert sweep_stale_parts(tmp_path / "nope") == []


def test_write_atomically_publishes_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "m.json"
    assert write_atomically(target, lambda temp: temp.write_text("new"), fsync=True) == target
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["m.json"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), ValueError("bad"),
                                   KeyboardInterrupt()])
def test_write_atomically_removes_its_part_file_on_any_error(tmp_path: Path,
                                                             error: BaseException) -> None:
    target = tmp_path / "m.json"
    target.write_text("old")

    def write(temp: Path) -> None:
        temp.write_text("half")
        raise error

    with pytest.raises(type(error)):
        write_atomically(target, write)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_only_a_store_failure_already_reported_loses_its_traceback() -> None:
    """Scrapy's "Error storing … feed" record is dropped for a failure the storage reported in
    one line (FeedNotStoredError), and kept for any other error of the feed exporter."""
    storage_filter = ReportedStoreFilter()

    def record(error: BaseException) -> logging.LogRecord:
        try:
            raise error
        except BaseException:
            return logging.LogRecord("scrapy.extensions.feedexport", logging.ERROR, __file__,
                                     1, "Error storing %s", ("feed",), sys.exc_info())

    assert not storage_filter.filter(record(FeedNotStoredError(28, "No space left", "f")))
    assert storage_filter.filter(record(OSError(28, "No space left")))
    assert storage_filter.filter(record(ValueError("another bug")))


def test_an_unreaped_killed_writer_counts_as_dead(tmp_path: Path) -> None:
    # A writer killed but not yet reaped (a zombie) still answers signal 0.
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        part = PartFile.for_target(tmp_path / "run.jsonl", writer.pid)
        part.path.write_text("{}\n")
        assert part.writer_alive()
        os.kill(writer.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{writer.pid}/stat").read_text().split(")")[-1].split()[0] != "Z":
            assert time.monotonic() < deadline, "the killed writer never became a zombie"
            time.sleep(0.01)
        assert not part.writer_alive()
        assert sweep_stale_parts(tmp_path) == [part.path]
    finally:
        writer.kill()
        writer.wait()
