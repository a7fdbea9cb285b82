from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from newscrawl.items import RECORD_FIELDS, SCHEMA_VERSION, QuarantineItem, StoryItem
from newscrawl.pipelines.validate import (
    StoryValidator,
    ValidatePipeline,
    inline_refs,
    reason_slug,
)
from newscrawl.schema import STORY_SCHEMA_FILE, story_schema

from .stories import crawler_for, make_story, stat, story_url

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def validator() -> StoryValidator:
    return StoryValidator(clock=lambda: NOW)


def pipeline(tmp_path: Path) -> tuple[ValidatePipeline, Any]:
    crawler = crawler_for(tmp_path)
    assert crawler.stats is not None
    return ValidatePipeline(crawler.stats, validator()), crawler


def record(story: StoryItem) -> dict[str, Any]:
    data = ItemAdapter(story).asdict()
    data.pop("raw_html")
    return data


def slugs(story: StoryItem) -> list[str]:
    return [reason_slug(r) for r in validator().problems(record(story))]


def test_schema_lists_the_record_fields_in_order() -> None:
    schema = story_schema()
    assert f"story-{SCHEMA_VERSION}.json" == STORY_SCHEMA_FILE
    assert tuple(schema["required"]) == RECORD_FIELDS
    assert tuple(schema["properties"]) == RECORD_FIELDS
    assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


def test_a_good_story_passes(tmp_path: Path) -> None:
    validate, crawler = pipeline(tmp_path)
    story = make_story()
    assert validate.process_item(story) is story
    assert crawler.stats.get_stats() == {}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"body": ""}, ["empty-body"]),
        ({"body": "Talks ended.\n\nNext In Aseanplus News"}, ["boilerplate-in-body"]),
        (
            {"body": "Talks ended.\n\nBilled as RM 9.73 for the 1st month, RM 13.90 thereafter."},
            ["boilerplate-in-body"],
        ),
        ({"published_at": "2027-01-01T09:00:00+08:00"}, ["date-in-future"]),
        ({"modified_at": "2026-11-27T21:00:00+08:00"}, ["date-in-future"]),  # 1 h ahead
        ({"published_at": "1994-12-31T23:00:00+08:00"}, ["date-before-1995"]),
        (
            {"url": "https://www.thestar.com.my/tag/rice"},
            ["url-outside-section"],
        ),
        ({"id": "0123456789abcdef"}, ["id-mismatch"]),
        ({"title": ""}, ["empty-title"]),
        ({"published_at": "12 Feb 2026"}, ["schema"]),
        ({"section": "Gossip"}, ["unknown-section"]),
        ({"section": ""}, ["schema"]),
        ({"content_hash": ""}, ["schema"]),
        ({"version": 0, "changed_fields": ["headline"]}, ["schema", "schema"]),
    ],
)
def test_each_check_names_its_reason(fields: dict[str, Any], expected: list[str]) -> None:
    assert slugs(make_story(**fields)) == expected


def test_dates_within_the_clock_tolerance_pass() -> None:
    assert slugs(make_story(published_at="2026-11-27T20:10:00+08:00")) == []  # 10 min ahead


def test_a_url_outside_the_site_stories_is_not_reported_twice_by_the_schema() -> None:
    url = "https://www.thestar.com.my/tag/rice"
    reasons = validator().problems(record(make_story(url=url, section="Gossip")))
    assert reasons == ["unknown-section: Gossip", f"url-outside-section: {url}"]


def test_a_story_of_another_crawled_section_is_valid() -> None:
    url = "https://www.thestar.com.my/news/nation/2026/02/12/rice"
    assert validator().problems(record(make_story(url=url, section="Nation"))) == []


def test_a_failing_story_becomes_a_counted_quarantine_item(tmp_path: Path) -> None:
    validate, crawler = pipeline(tmp_path)
    story = make_story(body="", published_at="1990-01-01T00:00:00+08:00")
    out = validate.process_item(story)
    assert isinstance(out, QuarantineItem)
    assert out.stage == "validate"
    assert out.url == story.url
    assert out.crawled_at == story.crawled_at
    assert [reason_slug(r) for r in out.reasons] == ["empty-body", "date-before-1995"]
    assert out.html == story.raw_html
    assert out.record is not None and "raw_html" not in out.record
    assert out.record["url"] == story.url
    assert stat(crawler, "newscrawl/quarantined/empty-body") == 1
    assert stat(crawler, "newscrawl/quarantined/date-before-1995") == 1


def test_reasons_are_counted_once_per_record(tmp_path: Path) -> None:
    validate, crawler = pipeline(tmp_path)
    validate.process_item(make_story(title="", summary=5))
    assert stat(crawler, "newscrawl/quarantined/schema") == 1


def test_quarantine_items_from_the_spider_pass_untouched(tmp_path: Path) -> None:
    validate, _ = pipeline(tmp_path)
    item = QuarantineItem(
        url=story_url("x"),
        reasons=["no-headline"],
        stage="parse",
        crawled_at="2026-11-27T00:00:00+00:00",
    )
    assert validate.process_item(item) is item


def test_the_schema_is_loaded_from_the_installed_package() -> None:
    assert story_schema() is story_schema()  # read once per process
    assert story_schema()["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"id": "XYZ"},
        {"modified_at": "2026-02-12"},
        {"modified_at": None},
        {"duplicate_of": "0123456789abcdef"},
        {"duplicate_of": 5},
        {"image": None},
        {"image": {"url": "x"}},
        {"authors": [""]},
        {"related": {"next_in": ["not a url"]}},
    ],
)
def test_inlined_references_validate_like_the_shipped_schema(fields: dict[str, Any]) -> None:
    shipped = Draft202012Validator(story_schema())
    inlined = Draft202012Validator(inline_refs(story_schema()))
    data = record(make_story(**fields))
    paths = sorted("/".join(map(str, e.absolute_path)) for e in shipped.iter_errors(data))
    assert sorted("/".join(map(str, e.absolute_path)) for e in inlined.iter_errors(data)) == paths
    assert Draft202012Validator.check_schema(story_schema()) is None


def test_inline_refs_refuses_what_it_cannot_preserve() -> None:
    with pytest.raises(ValueError, match="overlap"):
        inline_refs(
            {
                "$defs": {"a": {"type": "string"}},
                "properties": {"x": {"$ref": "#/$defs/a", "type": "null"}},
            }
        )
    with pytest.raises(ValueError, match="not a local definition"):
        inline_refs({"properties": {"x": {"$ref": "https://example.com/s.json"}}})


def test_the_future_is_judged_against_the_runs_pinned_now(tmp_path: Path) -> None:
    # A replay pinned to the replica's day: a story dated a week later is in the future then.
    crawler = crawler_for(tmp_path, NEWSCRAWL_NOW="2026-02-22T12:00:00+08:00")
    validate = ValidatePipeline.from_crawler(crawler)
    later = make_story(published_at="2026-03-01T09:00:00+08:00")
    earlier = make_story(published_at="2026-02-20T09:00:00+08:00")
    out = validate.process_item(later)
    assert isinstance(out, QuarantineItem)
    assert [reason_slug(r) for r in out.reasons] == ["date-in-future"]
    assert validate.process_item(earlier) is earlier
