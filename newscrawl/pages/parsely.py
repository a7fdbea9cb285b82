"""The page's parse.ly metadata (``meta[name=parsely-metadata]``, JSON) and the lenient reading
of JSON values that both it and JSON-LD need: a guid may be a number, a flag a string."""

from __future__ import annotations

import json
from typing import Any

META_NAME = "parsely-metadata"
# One decoder for every page: json.loads(text, strict=False) builds a new one on each call.
_LENIENT_JSON = json.JSONDecoder(strict=False)


def lenient_json(text: str) -> Any:
    """``json.loads(text, strict=False)``: raw control characters (a CMS's line breaks) are
    allowed inside strings. Raises ValueError for text that is no JSON."""
    return _LENIENT_JSON.decode(text)


def parsely_object(meta: dict[str, str]) -> dict[str, Any]:
    """The metadata object from the page's ``<meta>`` values; ``{}`` when absent or unreadable."""
    try:
        data = lenient_json(meta.get(META_NAME, ""))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def text(value: Any) -> str | None:
    """A non-empty string value of parsed JSON (numbers too: a guid may be one)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def flag(value: Any, *, negate: bool = False) -> bool | None:
    """A yes/no of parsed JSON (true, "true", 1, "1"), else None; ``negate`` flips it."""
    word = str(value).strip().lower() if isinstance(value, (bool, int, str)) else ""
    if word in ("true", "1"):
        return not negate
    if word in ("false", "0"):
        return negate
    return None
