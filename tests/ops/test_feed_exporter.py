"""The feeds' exporter writes the very bytes Scrapy's JSON Lines exporter writes."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from typing import Any

from scrapy.exporters import JsonLinesItemExporter

from newscrawl.feeds.exporter import RecordJsonLinesExporter
from newscrawl.items import RECORD_FIELDS, QuarantineItem
from tests.pipelines.stories import make_story


def exported(exporter_class: type[JsonLinesItemExporter], items: list[Any],
             **options: Any) -> bytes:
    file = BytesIO()
    exporter = exporter_class(file, **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return file.getvalue()


def stories() -> list[Any]:
    story = make_story()
    return [
        story,
        # Non-ASCII text, a quote, a surrogate-free emoji, empty and null values.
        replace(make_story("kl-story"), title='Kuala Lumpur "café" ✓ 🚀', authors=["Nur Aïsha"],
                modified_at=None, tags=[], summary=""),
        QuarantineItem(url=story.url, reasons=["no-body"], stage="validate",
                       crawled_at=story.crawled_at, record={"a": 1}),
    ]


def test_story_lines_are_scrapys_bytes_with_the_feed_fields() -> None:
    options = {"encoding": "utf-8", "fields_to_export": list(RECORD_FIELDS)}
    ours = exported(RecordJsonLinesExporter, stories(), **options)
    assert ours == exported(JsonLinesItemExporter, stories(), **options)
    assert ours.count(b"\n") == 3 and "café".encode() in ours


def test_other_field_lists_and_encodings_take_scrapys_path() -> None:
    for options in ({"fields_to_export": ["title", "url"]},
                    {"fields_to_export": {"title": "headline"}, "encoding": "utf-8"},
                    {}):
        assert exported(RecordJsonLinesExporter, stories(), **options) == \
            exported(JsonLinesItemExporter, stories(), **options)
