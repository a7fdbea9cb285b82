"""The JSON Lines exporter of the feeds: Scrapy's, with a direct path for story records.

Scrapy's ``JsonLinesItemExporter`` builds each line through ``get_serialized_fields``: an
``ItemAdapter``, then a field-metadata lookup and a serializer call per field, ~20 fields a
story. In a crawl profile that was half the cost of the ``item_scraped`` handlers. A
``StoryItem`` declares no serializer, so its line is the same JSON of the same dict: its
values are read in one C call and encoded by the same encoder. Any other item, or a feed whose
``fields`` option renames fields, goes through Scrapy's path unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from operator import attrgetter
from typing import Any

from scrapy.exporters import JsonLinesItemExporter

from newscrawl.items import StoryItem

_STORY_FIELDS = frozenset(f.name for f in fields(StoryItem))
_SERIALIZED = frozenset(f.name for f in fields(StoryItem) if "serializer" in f.metadata)


class RecordJsonLinesExporter(JsonLinesItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self._story_names: tuple[str, ...] | None = None
        self._story_values: Callable[[Any], Any] | None = None
        names = self.fields_to_export
        # Only a plain list of story fields, none with a serializer, takes the direct path.
        if isinstance(names, Sequence) and not isinstance(names, str) and names and all(
            isinstance(n, str) and n in _STORY_FIELDS and n not in _SERIALIZED for n in names
        ):
            self._story_names = tuple(names)
            getter = attrgetter(*names)
            self._story_values = getter if len(names) > 1 else (lambda item: (getter(item),))

    def export_item(self, item: Any) -> None:
        if self._story_values is None or type(item) is not StoryItem:
            super().export_item(item)
            return
        assert self._story_names is not None
        record = dict(zip(self._story_names, self._story_values(item), strict=True))
        data = self.encoder.encode(record) + "\n"
        self.file.write(data.encode(self.encoding or "utf-8"))
