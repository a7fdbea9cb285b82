"""The JSON Schema of the story record, shipped in the package beside this module."""

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
