"""The Parquet schema of the analysts' dataset, written out field by field.

Explicit rather than inferred so that every build has the same column types whatever the data
holds (an all-null ``modified_at`` column must still be a timestamp, an empty ``tags`` list
still a list of strings), and so a schema change is a reviewed diff here and in
``docs/dataset.md`` (a test keeps the columns equal to ``RECORD_FIELDS``). Times are real
timestamps: ``published_at``/``modified_at`` keep the site's +08:00, ``crawled_at`` is UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import pyarrow as pa

LOCAL_TZ: Final = "+08:00"
_STRINGS: Final = pa.list_(pa.string())

DATASET_SCHEMA: Final = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("url", pa.string(), nullable=False),
    pa.field("title", pa.string(), nullable=False),
    pa.field("summary", pa.string()),
    pa.field("body", pa.string(), nullable=False),
    pa.field("published_at", pa.timestamp("us", tz=LOCAL_TZ), nullable=False),
    pa.field("modified_at", pa.timestamp("us", tz=LOCAL_TZ)),
    pa.field("authors", _STRINGS, nullable=False),
    pa.field("agency", pa.string()),
    pa.field("dateline", pa.string()),
    pa.field("section", pa.string(), nullable=False),
    pa.field("tags", _STRINGS, nullable=False),
    pa.field("image", pa.struct([pa.field("url", pa.string()), pa.field("caption", pa.string())])),
    pa.field("premium", pa.bool_(), nullable=False),
    pa.field("word_count", pa.int32(), nullable=False),
    pa.field("related", pa.struct([
        pa.field("next_in", _STRINGS), pa.field("others_also_read", _STRINGS),
    ]), nullable=False),
    pa.field("discovered_via", pa.string(), nullable=False),
    pa.field("referrer", pa.string()),
    pa.field("crawled_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("extraction", pa.string(), nullable=False),
    pa.field("media", pa.string(), nullable=False),
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("duplicate_of", pa.string()),
    pa.field("version", pa.int32(), nullable=False),
    pa.field("changed_fields", _STRINGS, nullable=False),
    pa.field("schema_version", pa.string(), nullable=False),
])

_TIME_FIELDS: Final = ("published_at", "modified_at", "crawled_at")


def arrow_row(record: dict[str, Any]) -> dict[str, Any]:
    """A validated JSON record with its ISO times parsed, ready for ``DATASET_SCHEMA``."""
    row = dict(record)
    for name in _TIME_FIELDS:
        if row[name] is not None:
            row[name] = datetime.fromisoformat(row[name])
    return row


def to_table(records: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist([arrow_row(record) for record in records], schema=DATASET_SCHEMA)
