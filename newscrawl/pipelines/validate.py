"""ValidatePipeline: a story reaches the dataset only if it passes the schema and the checks.

A failing story is never dropped: it is replaced by a ``QuarantineItem`` that carries the
reasons, the record and the page, and each reason is counted as
``newscrawl/quarantined/<reason>``. Reasons are ``"<slug>"`` or ``"<slug>: <detail>"``; the slug
is stable (stats keys, monitors), the detail says what to look at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from typing import Any, Final, Self

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.config import NewscrawlConfig
from newscrawl.items import RECORD_FIELDS, QuarantineItem, StoryItem
from newscrawl.pages.titles import strip_site_suffix
from newscrawl.pipelines.bounds import oversize, schema_bounds
from newscrawl.pipelines.furniture import boilerplate_in
from newscrawl.schema import story_schema
from newscrawl.sections import SECTIONS
from newscrawl.urls import is_site_article, story_id

logger = logging.getLogger(__name__)

STATS_PREFIX: Final = "newscrawl/quarantined"
# The Star Online went live in 1995: an earlier date is a parsing error, not an archive find.
EARLIEST: Final = datetime(1995, 1, 1, tzinfo=UTC)
# Clock skew between the site and this machine; a story dated further ahead is wrong.
FUTURE_TOLERANCE: Final = timedelta(minutes=15)
DATE_FIELDS: Final = ("published_at", "modified_at")

Clock = Callable[[], datetime]
# The record's values in RECORD_FIELDS order, read off the dataclass in one C call.
_record_values: Final = attrgetter(*RECORD_FIELDS)


def reason_slug(reason: str) -> str:
    return reason.partition(":")[0]


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each local ``{"$ref": "#/$defs/x"}`` replaced by the definition.

    Same meaning, but jsonschema resolves a reference on every use, which made validation
    three times slower per record.
    """
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [resolve(child) for child in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.removeprefix("#/$defs/")
            if name == ref or name not in definitions:
                raise ValueError(f"schema reference {ref!r} is not a local definition")
            rest = {k: v for k, v in node.items() if k != "$ref"}
            target = definitions[name]
            if set(rest) & set(target) - {"description"}:
                # Beside a $ref both apply; merged keys would replace each other instead.
                raise ValueError(f"schema keys {sorted(rest)} beside {ref!r} overlap it")
            return {**resolve(target), **resolve(rest)}
        return {k: resolve(v) for k, v in node.items() if k != "$defs"}

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def schema_check(schema: dict[str, Any]) -> Callable[[Mapping[str, Any]], bool]:
    """A yes/no test of ``schema`` compiled to Python code (fastjsonschema), for the common case.

    jsonschema walks the schema for every record (~200 µs a story); the compiled test takes a
    tenth of that, but stops at the first error and words it its own way, so it only decides
    whether jsonschema needs to run. It must never pass a record that jsonschema fails; it
    fails more than jsonschema in one place (a pattern's ``$`` does not match before a final
    newline), which costs a second look, not a wrong answer. fastjsonschema takes a tuple for
    an array and jsonschema does not: a record holding a tuple is failed here.
    """
    validate = fastjsonschema.compile(schema, use_formats=False)

    def passes(record: Mapping[str, Any]) -> bool:
        if _holds_tuple(record):
            return False
        try:
            validate(record)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return passes


# Values with nothing inside: most of a record, and every entry of its lists of URLs and names.
_LEAF_TYPES: Final = frozenset((str, int, float, bool, type(None)))


def _holds_tuple(record: Mapping[str, Any]) -> bool:
    leaf = _LEAF_TYPES.__contains__
    pending: list[Any] = [value for value in record.values() if not leaf(type(value))]
    while pending:
        value = pending.pop()
        if isinstance(value, tuple):
            return True
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list) and not all(map(leaf, map(type, value))):
            pending.extend(value)
    return False


class StoryValidator:
    """Schema 1.1 plus the checks a schema cannot say. Pure: no stats, no logging."""

    def __init__(self, clock: Clock | None = None) -> None:
        schema = inline_refs(story_schema())
        self._bounds = schema_bounds(schema)
        self._schema = Draft202012Validator(schema)
        self._passes = schema_check(schema)
        self._clock: Clock = clock or (lambda: datetime.now(UTC))

    def problems(self, record: Mapping[str, Any], read_at: datetime | None = None) -> list[str]:
        """What is wrong with ``record``; dates are judged against ``read_at`` (when the page
        was read), else the validator's clock."""
        # Every size bound is a rule of the schema: a record the compiled test passes breaks
        # none, so the bounds (~40 µs a story) are only measured for one it fails.
        passed = self._passes(record)
        reasons, covered = self._semantic(record, read_at, sized=not passed)
        if passed:
            return reasons
        for error in sorted(self._schema.iter_errors(record), key=_error_path):
            path = _error_path(error) or "(record)"
            if path.split("/")[0] not in covered and path not in covered:
                covered.add(path)  # one reason per value, however many rules it breaks
                reasons.append(f"schema: {path}: {_short(error.message)}")
        return reasons

    def _semantic(self, record: Mapping[str, Any], read_at: datetime | None, *,
                  sized: bool = True) -> tuple[list[str], set[str]]:
        """Reasons, and the fields they cover (their schema errors would only repeat them).
        ``sized``: whether to look for values past the schema's bounds (``too-large``)."""
        reasons: list[str] = []
        fields: set[str] = set()
        for field, reason in oversize(record, self._bounds) if sized else ():
            reasons.append(reason)
            fields.add(field)
        title = record.get("title")
        if isinstance(title, str) and not strip_site_suffix(title):
            reasons.append("empty-title: nothing but the site's name")
            fields.add("title")
        body = record.get("body")
        if not isinstance(body, str) or not body.strip():
            reasons.append("empty-body")
            fields.update(("body", "word_count"))
        elif "body" not in fields:  # a too-large body is not scanned: it would only cost time
            found = boilerplate_in(body)
            if found:
                reasons.append("boilerplate-in-body: " + " | ".join(_short(f) for f in found))
        now = read_at or self._clock()
        for name in DATE_FIELDS:
            value = record.get(name)
            if not isinstance(value, str):
                continue
            try:
                when = datetime.fromisoformat(value)
            except ValueError:
                continue  # the schema's pattern reports it
            if when.tzinfo is None:
                continue
            if when > now + FUTURE_TOLERANCE:
                reasons.append(f"date-in-future: {name}={value}")
                fields.add(name)
            elif when < EARLIEST:
                reasons.append(f"date-before-1995: {name}={value}")
                fields.add(name)
        section = record.get("section")
        if isinstance(section, str) and section.strip() and \
                not any(known.has_label(section) for known in SECTIONS):
            reasons.append(f"unknown-section: {section}")
            fields.add("section")
        url = record.get("url")
        if isinstance(url, str):
            # Any dated story of the site: a section lists stories of other sections too.
            if not is_site_article(url):
                reasons.append(f"url-outside-section: {url}")
                fields.update(("url", "section"))
            elif record.get("id") != story_id(url):
                reasons.append(f"id-mismatch: {record.get('id')} is not the id of {url}")
                fields.add("id")
        return reasons, fields


class ValidatePipeline:
    """Replaces an invalid ``StoryItem`` by a ``QuarantineItem``; other items pass untouched."""

    def __init__(self, stats: StatsCollector, validator: StoryValidator | None = None, *,
                 pinned: bool = False) -> None:
        self._stats = stats
        self._validator = validator or StoryValidator()
        # Pinned: the validator's clock is the time (NEWSCRAWL_NOW) for every record.
        self._pinned = pinned

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        # "In the future" means after the moment the page was read (a story published an hour
        # into a long run is no future story), unless NEWSCRAWL_NOW pins now (replays, tests).
        config = NewscrawlConfig.from_settings(crawler.settings)
        if config.now_pinned:
            now = config.now
            return cls(crawler.stats, StoryValidator(clock=lambda: now), pinned=True)
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StoryItem):
            return item
        # Shallow: the story is replaced, so the record may share its lists and dicts.
        record = dict(zip(RECORD_FIELDS, _record_values(item), strict=True))
        reasons = self._validator.problems(record, None if self._pinned else _read_at(item))
        if not reasons:
            return item
        for slug in dict.fromkeys(reason_slug(r) for r in reasons):
            self._stats.inc_value(f"{STATS_PREFIX}/{slug}")
        logger.warning("Quarantined %s: %s", item.url, "; ".join(reasons))
        return QuarantineItem(
            url=item.url,
            reasons=reasons,
            stage="validate",
            crawled_at=item.crawled_at,
            record=record,
            html=item.raw_html,
        )


def _read_at(item: StoryItem) -> datetime | None:
    """When the story's page was read (its ``crawled_at``); None if that is no aware time."""
    try:
        when = datetime.fromisoformat(item.crawled_at)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else None


def _error_path(error: ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
