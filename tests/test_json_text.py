"""``json_bytes`` writes json's very bytes, or declines so that json writes them."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy
import pytest

from newscrawl.json_text import ObjectWriter, json_bytes

# Code points a story's text may hold, and those escaping treats apart.
_ALPHABET = ('a', 'Z', ' ', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\x00', '\x1f', '\x7f',
             '\x80', 'é', '’', '—', '\u00a0', '\u2028', '\u2029', '\ufeff', '\uffff', '🚀',
             '\U0010ffff', '&', '<', ',', ':', '{', ']')


def expected(value: Any, sort_keys: bool = False) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys).encode()


def test_every_code_point_is_escaped_as_json_escapes_it() -> None:
    # Escaping is per character: a string of each block of code points is compared whole.
    for start in range(0, 0x110000, 4096):
        text = "".join(chr(c) for c in range(start, min(start + 4096, 0x110000))
                       if not 0xD800 <= c <= 0xDFFF)
        assert json_bytes(text) == expected(text), hex(start)


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12)))


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice((True, False))
    if kind == 2:
        return rng.choice((0, 1, -1, 2**63 - 1, -(2**63), rng.randint(-10**6, 10**6)))
    if kind in (3, 4, 5):
        return _text(rng)
    if kind in (6, 7):
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {_text(rng): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


@pytest.mark.parametrize("sort_keys", [False, True])
def test_records_of_plain_values_are_jsons_bytes(sort_keys: bool) -> None:
    rng = random.Random(20261202)
    for _ in range(3000):
        value = _value(rng)
        assert json_bytes(value, sort_keys=sort_keys) == expected(value, sort_keys), value
    record = {"title": "Café ’s “quote”", "tags": [], "image": None, "premium": False,
              "word_count": 180, "related": {"next_in": ["https://x/a", "https://x/b"],
                                             "others_also_read": []}}
    assert json_bytes(record, sort_keys=sort_keys) == expected(record, sort_keys)


class _Text(str):
    pass


class _Pair(NamedTuple):
    a: int
    b: int


@pytest.mark.parametrize("value", [
    1.5, float("nan"), (1, 2), {1, 2}, _Text("x"), ["a", "\ud800"], "lone \udc80 surrogate",
    2**64, -(2**63) - 1, {1: "a"}, {"a": [1.0]}, {"a": (2.0,)}, object(), numpy.float64(1.0),
    numpy.int64(1), _Pair(1, 2), {_Text("k"): 1}, datetime(2026, 12, 2, tzinfo=UTC),
])
def test_what_only_json_writes_is_declined(value: Any) -> None:
    assert json_bytes(value) is None


def test_object_writer_writes_jsons_bytes_of_records() -> None:
    rng = random.Random(7)
    keys = ["id", "title", "café", "related", "image", "n"]
    writer = ObjectWriter(keys)
    for _ in range(3000):
        values = [_value(rng) for _ in keys]
        assert writer.write(values) == expected(dict(zip(keys, values, strict=True)))
    for bad in (1.5, (1,), _Text("x"), [1.0], {"a": {2: "b"}}, 2**70, "\ud800", object()):
        assert writer.write(["a", "b", "c", bad, None, 1]) is None
    assert writer.write(["a"]) is None  # not one value a key


def test_deep_nesting_is_left_to_json() -> None:
    value: list[Any] = []
    inner = value
    for _ in range(40):
        inner.append([])
        inner = inner[0]
    assert json_bytes(value) is None
    cycle: list[Any] = []
    cycle.append(cycle)
    assert json_bytes(cycle) is None  # json reports the circular reference itself
