"""The compiled schema test never passes a record that jsonschema fails (it only decides whether
jsonschema has to run), and the reasons a story gets are the same either way."""

from __future__ import annotations

import random
from typing import Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from newscrawl.items import RECORD_FIELDS
from newscrawl.pipelines.validate import StoryValidator, inline_refs, schema_check
from newscrawl.schema import story_schema

from .stories import make_story

ODD_VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 2.5, float("nan"), "", " ", "x", "x\n", "\n",
    "0123456789abcdef", "0123456789abcdef\n", "https://www.thestar.com.my/aseanplus/x",
    "https://www.thestar.com.my/aseanplus/x\n", "2026-02-12T10:15:00+08:00",
    "2026-02-12T10:15:00+08:00\n", "2026-02-13T01:00:00+00:00", "listing", "site", "1.1", "1.2",
    "video", "text",
    "Aseanplus News", "title", [], ["a"], [""], ["a", "a"], ["title", "body"], ("a",), (),
    {}, {"url": "https://x/y", "caption": None}, {"next_in": [], "others_also_read": []},
    {"next_in": ("https://x/y",), "others_also_read": []}, {"url": ("x",), "caption": None},
    # Past the schema's bounds: the size checks run only for a record the compiled test fails.
    "x" * 100_001, ["a"] * 51, ["a" * 101], {"url": "https://x/y", "caption": "c" * 1001},
    {"next_in": ["https://x/y"] * 51, "others_also_read": []}, [["a"]], [{"a": ("b",)}],
]


def records(count: int) -> list[dict[str, Any]]:
    rng = random.Random(2)
    base = ItemAdapter(make_story()).asdict()
    base.pop("raw_html")
    made = [dict(base)]
    for _ in range(count):
        record = dict(base)
        for _ in range(rng.randint(1, 3)):
            action = rng.random()
            name = rng.choice(RECORD_FIELDS)
            if action < 0.8:
                record[name] = rng.choice(ODD_VALUES)
            elif action < 0.9:
                record.pop(name, None)
            else:
                record["extra"] = 1
        made.append(record)
    return made


def test_the_compiled_test_passes_only_what_jsonschema_passes() -> None:
    schema = inline_refs(story_schema())
    full = Draft202012Validator(schema)
    passes = schema_check(schema)
    passed = failed = 0
    for record in records(3000):
        valid = not any(full.iter_errors(record))
        if passes(record):
            assert valid, record
            passed += 1
        else:
            failed += 1
    assert passed and failed


def test_reasons_do_not_depend_on_the_compiled_test() -> None:
    fast = StoryValidator()
    slow = StoryValidator()
    slow._passes = lambda record: False  # jsonschema for every record
    for record in records(500):
        assert fast.problems(record) == slow.problems(record)
