"""docs/dataset.md: every field is documented, and its DuckDB and pandas examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from story_records import story_record, write_run

from newscrawl.dataset.builder import DatasetBuilder
from newscrawl.items import RECORD_FIELDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "dataset.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_every_field_has_a_row_in_field_order() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert tuple(rows) == RECORD_FIELDS


def test_there_are_duckdb_and_pandas_examples() -> None:
    assert any("import duckdb" in block for block in BLOCKS)
    assert any("import pandas" in block for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_example_runs(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data" / "aseanplus"
    first = story_record("a", authors=["Ann Lee"], agency=None, tags=["Asean", "trade"],
                         image={"url": "https://apicms.thestar.com.my/uploads/images/a.jpg",
                                "caption": "A caption — Bernama"})
    write_run(data_dir, "20250523T020000Z", [
        first,
        story_record("b", published_at="2025-05-22T23:30:00+08:00"),
        story_record("c", duplicate_of=first["id"]),
    ])
    DatasetBuilder(data_dir).build()
    monkeypatch.chdir(tmp_path)
    exec(compile(block, str(DOC), "exec"), {})
