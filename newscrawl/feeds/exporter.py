"""The JSON Lines exporter of the feeds: Scrapy's, with a direct path for story records.

Scrapy's ``JsonLinesItemExporter`` builds each line through ``get_serialized_fields``: an
``ItemAdapter``, then a field-metadata lookup and a serializer call per field, ~20 fields a
story. In a crawl profile that was half the cost of the ``item_scraped`` handlers. A
``StoryItem`` declares no serializer, so its line is the same JSON of the same dict: its
values are read in one C call and written as the same encoder writes them
(``newscrawl.json_text``: the same bytes, a story's body escaped ~20 µs faster). Any other item,
or a feed whose ``fields`` option renames fields, goes through Scrapy's path unchanged.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import fields
from operator import attrgetter
from typing import Any

from scrapy.exporters import JsonLinesItemExporter

from newscrawl.items import StoryItem
from newscrawl.json_text import ObjectWriter

_STORY_FIELDS = frozenset(f.name for f in fields(StoryItem))
_SERIALIZED = frozenset(f.name for f in fields(StoryItem) if "serializer" in f.metadata)


class RecordJsonLinesExporter(JsonLinesItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self._story_names: tuple[str, ...] | None = None
        self._writer: ObjectWriter | None = None
        self._story_values: Callable[[Any], Any] | None = None
        names = self.fields_to_export
        # Only a plain list of story fields, none with a serializer, takes the direct path.
        if isinstance(names, Sequence) and not isinstance(names, str) and names and all(
            isinstance(n, str) and n in _STORY_FIELDS and n not in _SERIALIZED for n in names
        ):
            self._story_names = tuple(names)
            getter = attrgetter(*names)
            self._story_values = getter if len(names) > 1 else (lambda item: (getter(item),))
            # The encoder as Scrapy makes it for a UTF-8 feed and nothing else (no indent, no
            # sorted keys, no ensure_ascii): then ``ObjectWriter`` writes the line's very bytes.
            if self._kwargs == {"ensure_ascii": False} and len(set(names)) == len(names) and \
                    codecs.lookup(self.encoding or "utf-8").name == "utf-8":
                self._writer = ObjectWriter(self._story_names)

    def export_item(self, item: Any) -> None:
        if self._story_values is None or type(item) is not StoryItem:
            super().export_item(item)
            return
        assert self._story_names is not None
        values = self._story_values(item)
        line = self._writer.write(values) if self._writer is not None else None
        if line is not None:
            self.file.write(line + b"\n")
            return
        record = dict(zip(self._story_names, values, strict=True))
        data = self.encoder.encode(record) + "\n"
        self.file.write(data.encode(self.encoding or "utf-8"))
