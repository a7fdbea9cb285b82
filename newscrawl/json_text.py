"""UTF-8 JSON text of a record's values, byte for byte what ``json`` writes, in less time.

The published feed's lines and the stored field digests are ``json`` text (``ensure_ascii=False``,
the separators ``", "`` and ``": "``): a feed is compared line by line across runs, and a digest
that changed would make every stored story look edited, so the bytes must stay ``json``'s. Its
C encoder escapes a string at ~7 ns a character (~10-20 µs for a story's body), and the text is
then encoded to UTF-8 as a whole. orjson (a well-kept Rust extension) writes a string, an
integer, a boolean and null as exactly the UTF-8 bytes of ``json``'s text (every code point is
checked in ``tests/test_json_text.py``) but puts no space after a separator, so the lists and
objects around those values are joined here.

Declined (None; the caller encodes with ``json`` as before, errors included): floats (the two
write some differently), subclasses of str, int, list and dict, tuples, sets, dates and any other
type ``json`` would hand to an encoder's ``default``, keys that are not str, integers past 64
bits, lone surrogates, and nesting deeper than ``_MAX_DEPTH`` (a cycle, for one, which ``json``
reports as such).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import add
from typing import Any, Final

import orjson

# Deeper than any record: beyond it ``json`` (with its check for circular references) decides.
_MAX_DEPTH: Final = 16


class _NotPlainError(Exception):
    """A value this module does not write: ``json`` must."""


def json_bytes(value: Any, *, sort_keys: bool = False) -> bytes | None:
    """``json.dumps(value, ensure_ascii=False, sort_keys=sort_keys).encode()``, or None when
    ``value`` holds something only ``json`` writes (see the module's docstring)."""
    try:
        return _encode(value, sort_keys, 0)
    except (_NotPlainError, orjson.JSONEncodeError):
        return None


def _encode(value: Any, sort_keys: bool, depth: int) -> bytes:
    kind = type(value)
    if kind is str:
        return orjson.dumps(value)
    if value is None:
        return b"null"
    if kind is bool:
        return b"true" if value else b"false"
    if kind is int:
        return orjson.dumps(value)  # raises past 64 bits: then json writes it
    if depth >= _MAX_DEPTH:
        raise _NotPlainError
    if kind is list:
        if all(type(item) is str for item in value):  # a list of names or URLs: one C call
            return b"[" + b", ".join(map(orjson.dumps, value)) + b"]"
        return b"[" + b", ".join([_encode(item, sort_keys, depth + 1) for item in value]) + b"]"
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise _NotPlainError
        items = sorted(value.items()) if sort_keys else value.items()
        return b"{" + b", ".join([orjson.dumps(key) + b": " + _encode(item, sort_keys, depth + 1)
                                  for key, item in items]) + b"}"
    raise _NotPlainError


# What ``ObjectWriter`` takes as a value as it is: orjson writes it as json does.
_WRITTEN: Final = frozenset((str, int, bool, type(None), list, dict))


class ObjectWriter:
    """``json_bytes`` of objects with the same keys in the same order, given their values.

    A feed line is such an object: the keys' text is made once, the values are written by
    orjson in one C loop, and only the few lists and objects among them are joined here.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        self._prefixes = tuple(orjson.dumps(key) + b": " for key in keys)

    def write(self, values: Sequence[Any]) -> bytes | None:
        """``json_bytes(dict(zip(keys, values)))``, or None as there."""
        kinds = list(map(type, values))
        if not _WRITTEN.issuperset(kinds) or len(kinds) != len(self._prefixes):
            return None
        try:
            parts = list(map(orjson.dumps, values))
            for n, kind in enumerate(kinds):
                if kind is list or kind is dict:  # orjson's are compact: json's have spaces
                    parts[n] = _encode(values[n], False, 1)
        except (_NotPlainError, orjson.JSONEncodeError):
            return None
        return b"{" + b", ".join(map(add, self._prefixes, parts)) + b"}"
