"""Every saved replica page against its complete expected record: one failure per wrong field.

After a deliberate parser change, re-derive the expected records with
``python -m tests.pages.fixtures regen`` and review what it reports.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from newscrawl.items import RECORD_FIELDS

from .fixtures import PAGES_DIR, derive, load_index

INDEX = load_index()
MISSING = object()


@cache
def expected(name: str) -> dict[str, Any]:
    path = PAGES_DIR / f"{name}.json"
    if not path.exists():
        return {}
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


@cache
def actual(name: str) -> dict[str, Any]:
    return derive(name, INDEX[name])


CASES = [(name, field) for name in sorted(INDEX) for field in expected(name)]


def test_fixture_pages_are_saved() -> None:
    assert len(INDEX) >= 40, "run `python -m tests.pages.fixtures save` and `regen`"
    saved = {p.stem for p in PAGES_DIR.glob("*.html")}
    assert saved == set(INDEX), "fixtures/pages/*.html and index.json disagree"


@pytest.mark.parametrize("name", sorted(INDEX))
def test_expected_record_is_complete(name: str) -> None:
    record = expected(name)
    assert record, f"{name}.json is missing: run `python -m tests.pages.fixtures regen`"
    keys = set(record)
    assert keys in ({"error"}, {"skipped"}) or keys == set(RECORD_FIELDS)


@pytest.mark.parametrize("name", sorted(INDEX))
def test_no_field_beyond_the_expected_ones(name: str) -> None:
    assert set(actual(name)) == set(expected(name))


@pytest.mark.parametrize(("name", "field"), CASES, ids=[f"{n}:{f}" for n, f in CASES])
def test_field(name: str, field: str) -> None:
    assert actual(name).get(field, MISSING) == expected(name)[field]
