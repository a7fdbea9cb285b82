"""The size bounds of the record, read from the schema's ``maxLength`` and ``maxItems``.

The schema alone would reject an oversized record too, but its message quotes the value (a
million characters of it). This names the field, its size and the bound, one reason per field:
``too-large: body has 1000000 characters, more than 100000``. The schema stays the one place
the bounds are written; ``docs/dataset.md`` lists them and a test holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Literal

REASON: Final = "too-large"
Unit = Literal["characters", "entries"]


@dataclass(frozen=True, slots=True)
class Bound:
    """``path`` is ``title``, ``image.caption``, or ``tags[]`` for each entry of a list."""

    path: str
    unit: Unit
    limit: int

    @property
    def field(self) -> str:
        return self.path.split(".")[0].removesuffix("[]")


def schema_bounds(schema: Mapping[str, Any]) -> tuple[Bound, ...]:
    """Every bound of an inlined schema (``$ref`` resolved), in the schema's field order."""
    return tuple(_walk(schema, ""))


def _walk(node: Mapping[str, Any], prefix: str) -> Iterator[Bound]:
    for name, sub in (node.get("properties") or {}).items():
        path = prefix + name
        if "maxLength" in sub:
            yield Bound(path, "characters", int(sub["maxLength"]))
        if "maxItems" in sub:
            yield Bound(path, "entries", int(sub["maxItems"]))
        items = sub.get("items")
        if isinstance(items, Mapping) and "maxLength" in items:
            yield Bound(path + "[]", "characters", int(items["maxLength"]))
        if sub.get("properties"):
            yield from _walk(sub, path + ".")


def oversize(record: Mapping[str, Any], bounds: tuple[Bound, ...]) -> list[tuple[str, str]]:
    """``(field, reason)`` for each bound the record breaks (the largest entry of a list)."""
    found: list[tuple[str, str]] = []
    for bound, path, each in _paths(bounds):
        size = _size(record, path, each, bound.unit)
        if size is not None and size > bound.limit:
            what = bound.path.removesuffix("[]") + (" entry" if each else "")
            found.append((bound.field, f"{REASON}: {what} has {size} {bound.unit}, "
                                       f"more than {bound.limit}"))
    return found


@lru_cache(maxsize=8)
def _paths(bounds: tuple[Bound, ...]) -> tuple[tuple[Bound, tuple[str, ...], bool], ...]:
    # Each bound's path split once per schema, not once per record (~18 bounds a story).
    return tuple((bound, tuple(bound.path.removesuffix("[]").split(".")),
                  bound.path.endswith("[]")) for bound in bounds)


def _size(record: Mapping[str, Any], path: tuple[str, ...], each: bool, unit: Unit) -> int | None:
    value: Any = record
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    if each:
        sizes = [len(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []
        return max(sizes, default=None)
    if unit == "entries":
        return len(value) if isinstance(value, list) else None
    return len(value) if isinstance(value, str) else None
