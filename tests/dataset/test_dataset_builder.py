"""DatasetBuilder: latest version per story, duplicates flagged, sorted, deterministic, and
readable with pyarrow and DuckDB exactly as the run files say."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from story_records import story_record, write_run

from newscrawl.cli import main
from newscrawl.dataset.arrow_schema import DATASET_SCHEMA
from newscrawl.dataset.builder import DatasetBuilder
from newscrawl.dataset.command import DEFAULT_DATA_DIR, default_data_dir
from newscrawl.feeds import PartFile
from newscrawl.items import RECORD_FIELDS


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def two_runs(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Run 1: a, b, c. Run 2: b revised, d a duplicate of a. Returns the expected survivors."""
    a = story_record("a", published_at="2025-05-23T09:40:00+08:00")
    b1 = story_record("b", published_at="2025-05-20T08:00:00+08:00")
    c = story_record("c", published_at="2025-05-23T09:40:00+08:00", authors=["Ann Lee"],
                     image={"url": "https://apicms.thestar.com.my/uploads/images/x.jpg",
                            "caption": "A caption — Reuters"})
    b2 = story_record("b", published_at="2025-05-20T08:00:00+08:00", title="B, revised",
                      version=2, changed_fields=["title"], modified_at="2025-05-21T10:00:00+08:00",
                      crawled_at="2025-05-24T02:00:00+00:00")
    d = story_record("d", published_at="2025-05-24T07:00:00+08:00", duplicate_of=a["id"],
                     summary="Same as a, says the wire", premium=True)
    write_run(data_dir, "20250523T020000Z", [a, b1, c])
    write_run(data_dir, "20250524T020000Z", [b2, d])
    return {r["id"]: r for r in (a, b2, c, d)}


def test_latest_versions_sorted_with_duplicates_flagged(tmp_path: Path) -> None:
    expected = two_runs(tmp_path)
    report = DatasetBuilder(tmp_path).build()

    records = jsonl(tmp_path / "dataset.jsonl")
    assert (report.run_files, report.records_read, report.stories) == (2, 5, 4)
    assert report.duplicates == 1 and report.bad_lines == []
    assert {r["id"]: r for r in records} == expected
    assert [list(r) for r in records] == [list(RECORD_FIELDS)] * 4
    keys = [(datetime.fromisoformat(r["published_at"]), r["id"]) for r in records]
    assert keys == sorted(keys)
    revised = next(r for r in records if r["title"] == "B, revised")
    assert revised["version"] == 2


def test_same_version_later_crawl_wins(tmp_path: Path) -> None:
    early = story_record("a", crawled_at="2025-05-23T02:00:00+00:00", title="Early")
    late = story_record("a", crawled_at="2025-05-23T03:00:00Z", title="Late")
    write_run(tmp_path, "20250523T030000Z", [late])
    write_run(tmp_path, "20250523T040000Z", [early])  # a later file, an earlier crawl
    DatasetBuilder(tmp_path).build()
    assert [r["title"] for r in jsonl(tmp_path / "dataset.jsonl")] == ["Late"]


def test_rows_of_runs_before_schema_1_2_stay_as_text_stories(tmp_path: Path) -> None:
    old = {k: v for k, v in story_record("old").items() if k != "media"}
    old["schema_version"] = "1.1"
    video = story_record("new", media="video")
    write_run(tmp_path, "20250523T020000Z", [old, video])
    report = DatasetBuilder(tmp_path).build()
    assert report.bad_lines == []
    rows = {r["url"].rsplit("/", 1)[1]: r for r in jsonl(tmp_path / "dataset.jsonl")}
    assert {(k, r["media"], r["schema_version"]) for k, r in rows.items()} == {
        ("old", "text", "1.3"), ("new", "video", "1.3")}
    assert pq.read_table(tmp_path / "dataset.parquet").column("media").to_pylist() \
        .count("video") == 1


def test_bad_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    good = story_record("good")
    no_title = story_record("bad", title="")
    write_run(tmp_path, "20250523T020000Z", [good, no_title],
              extra_lines=(b"{truncated", b"\xff\xfe not utf-8", b"[1, 2]", b""))
    report = DatasetBuilder(tmp_path).build()
    assert report.stories == 1
    assert [(bad.file, bad.line) for bad in report.bad_lines] == [
        ("runs/20250523T020000Z.jsonl", n) for n in (2, 3, 4, 5)
    ]
    assert report.bad_lines[0].reason.startswith("schema: title")


def test_part_files_of_running_or_killed_crawls_are_ignored(tmp_path: Path) -> None:
    write_run(tmp_path, "20250523T020000Z", [story_record("a")])
    part = PartFile.for_target(tmp_path / "runs" / "20250524T020000Z.jsonl", 12345).path
    part.write_text(json.dumps(story_record("half")) + "\n{\"id\": \"tru")
    report = DatasetBuilder(tmp_path).build()
    assert (report.run_files, report.stories, report.bad_lines) == (1, 1, [])


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    two_runs(tmp_path)
    builder = DatasetBuilder(tmp_path)
    builder.build()
    first = {name: (tmp_path / name).read_bytes() for name in ("dataset.jsonl", "dataset.parquet")}
    DatasetBuilder(tmp_path).build()
    second = {name: (tmp_path / name).read_bytes() for name in first}
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.jsonl", "dataset.parquet",
                                                           "runs"]


def test_parquet_matches_the_runs_in_pyarrow_and_duckdb(tmp_path: Path) -> None:
    expected = two_runs(tmp_path)
    DatasetBuilder(tmp_path).build()
    parquet = tmp_path / "dataset.parquet"

    table = pq.read_table(parquet)
    assert table.schema.equals(DATASET_SCHEMA)
    rows = table.to_pylist()
    assert [row["id"] for row in rows] == [r["id"] for r in jsonl(tmp_path / "dataset.jsonl")]
    for row in rows:
        record = expected[row["id"]]
        for name in RECORD_FIELDS:
            value = row[name]
            if isinstance(value, datetime):
                assert value == datetime.fromisoformat(record[name]), name
                assert value.utcoffset() == datetime.fromisoformat(record[name]).utcoffset()
            else:
                assert value == record[name], name

    with duckdb.connect() as con:
        found = con.execute(
            "SELECT id, title, version, duplicate_of, image.caption, len(authors) "
            "FROM read_parquet(?) ORDER BY published_at, id", [str(parquet)]
        ).fetchall()
    assert found == [
        (r["id"], r["title"], r["version"], r["duplicate_of"],
         (r["image"] or {}).get("caption"), len(r["authors"]))
        for r in jsonl(tmp_path / "dataset.jsonl")
    ]


def test_no_runs_gives_empty_files_with_the_schema(tmp_path: Path) -> None:
    report = DatasetBuilder(tmp_path).build()
    assert report.stories == 0
    assert (tmp_path / "dataset.jsonl").read_bytes() == b""
    assert pq.read_table(tmp_path / "dataset.parquet").schema.equals(DATASET_SCHEMA)


def test_parquet_columns_are_the_record_fields() -> None:
    assert tuple(DATASET_SCHEMA.names) == RECORD_FIELDS


def test_the_data_dir_is_read_through_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSCRAWL_DATA_DIR", str(tmp_path / "data"))
    assert default_data_dir() == tmp_path / "data"
    monkeypatch.delenv("NEWSCRAWL_DATA_DIR")
    assert default_data_dir() == Path(DEFAULT_DATA_DIR)

    monkeypatch.setenv("NEWSCRAWL_REVISIT_DAYS", "soon")  # any unusable setting: one line, exit 1
    assert main(["dataset", "build"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "newscrawl dataset build: error: NEWSCRAWL_REVISIT_DAYS='soon' is not a number"
    )
    assert not Path(DEFAULT_DATA_DIR).exists()


def test_run_reports_a_bad_setting_as_failed_not_degraded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSCRAWL_REVISIT_DAYS", "soon")
    assert main(["run"]) == 1  # 2 would read as a degraded crawl
    assert capsys.readouterr().err.strip() == (
        "newscrawl run: error: NEWSCRAWL_REVISIT_DAYS='soon' is not a number"
    )
    assert not Path(DEFAULT_DATA_DIR).exists()


def test_a_failed_parquet_write_keeps_the_old_dataset_and_leaves_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    two_runs(tmp_path)
    DatasetBuilder(tmp_path).build()
    before = (tmp_path / "dataset.parquet").read_bytes()

    def broken_write(_table: object, where: Path, **_: object) -> None:
        Path(where).write_bytes(b"PAR1 half")
        raise pa.ArrowInvalid("cannot write")

    monkeypatch.setattr(pq, "write_table", broken_write)
    with pytest.raises(pa.ArrowInvalid):
        DatasetBuilder(tmp_path).build()
    assert (tmp_path / "dataset.parquet").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if PartFile.parse(p)] == []


def test_a_failed_jsonl_write_leaves_no_part_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    two_runs(tmp_path)
    real_dumps = json.dumps
    calls = 0

    def dumps(obj: Any, **kwargs: Any) -> str:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ValueError("not serialisable")
        return real_dumps(obj, **kwargs)

    monkeypatch.setattr(json, "dumps", dumps)
    with pytest.raises(ValueError, match="not serialisable"):
        DatasetBuilder(tmp_path).write_jsonl([{"a": 1}, {"b": 2}])
    assert [p.name for p in tmp_path.iterdir() if PartFile.parse(p)] == []
    assert not (tmp_path / "dataset.jsonl").exists()
