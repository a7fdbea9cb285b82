"""Size bounds of the record: every text and list field has one, a record past it is
quarantined with a reason naming the field, and docs/dataset.md lists the schema's bounds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter

from newscrawl.items import QuarantineItem
from newscrawl.pipelines.bounds import schema_bounds
from newscrawl.pipelines.validate import StoryValidator, ValidatePipeline, inline_refs
from newscrawl.schema import story_schema

from .stories import crawler_for, make_story

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dataset.md"
BOUNDS = {b.path: b for b in schema_bounds(inline_refs(story_schema()))}


def problems(**fields: Any) -> list[str]:
    data = ItemAdapter(make_story(**fields)).asdict()
    data.pop("raw_html")
    return StoryValidator().problems(data)


def test_every_text_and_list_field_is_bounded() -> None:
    for path in ("url", "title", "summary", "body", "authors", "authors[]", "agency",
                 "dateline", "tags", "tags[]", "image.url", "image.caption", "related.next_in",
                 "related.next_in[]", "related.others_also_read", "referrer"):
        assert path in BOUNDS, path


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "A" * 5000}, "title"),
        ({"body": "word " * 200_000}, "body"),
        ({"summary": "s" * 1001}, "summary"),
        ({"authors": [f"Author {i}" for i in range(10_000)]}, "authors"),
        ({"authors": ["x" * 101]}, "authors entry"),
        ({"tags": [f"tag{i}" for i in range(10_000)]}, "tags"),
        ({"image": {"url": "https://apicms.thestar.com.my/1.jpg", "caption": "c" * 1001}},
         "image.caption"),
    ],
)
def test_a_field_past_its_bound_is_named(fields: dict[str, Any], field: str) -> None:
    reasons = problems(**fields)
    assert [r for r in reasons if r.startswith(f"too-large: {field} has ")], reasons
    assert not [r for r in reasons if r.startswith("schema")], reasons  # said once, not twice


def test_values_at_their_bounds_pass() -> None:
    assert problems(title="T" * BOUNDS["title"].limit,
                    tags=[f"t{i}" for i in range(BOUNDS["tags"].limit)]) == []


@pytest.mark.parametrize("title", ["| The Star", "  -  The Star Online ", "\u00a0| The Star"])
def test_a_title_that_is_only_the_site_name_is_quarantined(title: str) -> None:
    assert [r for r in problems(title=title) if r.startswith("empty-title")]


def test_the_pipeline_quarantines_an_oversized_story(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    assert crawler.stats is not None
    result = ValidatePipeline(crawler.stats, StoryValidator()).process_item(
        make_story(authors=[f"A{i}" for i in range(10_000)]))
    assert isinstance(result, QuarantineItem)
    assert crawler.stats.get_value("newscrawl/quarantined/too-large") == 1


def test_docs_list_the_schema_bounds() -> None:
    """The table under "Bounds" in docs/dataset.md says what the schema says."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Bounds", 1)[1].split("\n## ", 1)[0]
    documented = {m[2]: int(m[1].replace(",", ""))
                  for m in re.finditer(r"^\| ([\d,]+) \| \w+ \| `([^`]+)` \|", section,
                                       re.MULTILINE)}
    assert documented == {path: b.limit for path, b in BOUNDS.items()}
