"""The JSON Schema of the story record, shipped in the package beside this module, and how a
record of an earlier schema version reads as the current one."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from newscrawl.items import SCHEMA_VERSION

STORY_SCHEMA_FILE = f"story-{SCHEMA_VERSION}.json"


@cache
def story_schema() -> dict[str, Any]:
    """The schema of the current record version, read once per process."""
    text = files(__package__).joinpath(STORY_SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def upgraded(record: Any) -> Any:
    """A record of an earlier schema as the current one (1.3). A 1.1 record lacks ``media``:
    a crawler of that time could not tell a video story from another one, so the record says
    ``text`` (as such records always did mean). 1.2 pinned ``section`` to Aseanplus News, which
    1.3 allows among others: the record is unchanged. Anything else is returned as it is, for
    the schema check to judge."""
    if not isinstance(record, dict):
        return record
    version = record.get("schema_version")
    if version == "1.1" and "media" not in record:
        return {**record, "media": "text", "schema_version": SCHEMA_VERSION}
    if version == "1.2":
        return {**record, "schema_version": SCHEMA_VERSION}
    return record
