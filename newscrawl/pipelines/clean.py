"""CleanPipeline: make a story's text uniform before it is validated, hashed and compared.

Rules (from the issue): HTML entities decoded once; Unicode NFC; zero-width, format and control
characters removed; whitespace folded inside a paragraph; the blank line between paragraphs
kept; curly quotes, dashes and other typography kept as published. ``word_count`` is recounted
on the cleaned body and ``content_hash`` is set here, because this is where the text becomes
final: every later stage (validation, dedupe, versions) must see the same fingerprint.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from typing import Any, Final, Self

from scrapy.crawler import Crawler

from newscrawl.fingerprint import content_hash
from newscrawl.items import StoryItem

PARAGRAPH_BREAK: Final = "\n\n"
# Line and paragraph separators as the body's "\n" and "\n\n" (str.replace: translate()
# takes a slow path on non-ASCII text and cost more than all the rest of cleaning).
_LINE_BREAKS: Final = (("\r\n", "\n"), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n\n"))


def clean_inline(text: str) -> str:
    """One line of text: entities decoded, NFC, invisible characters dropped, spaces folded."""
    return " ".join(_visible(text).split())


def clean_body(text: str) -> str:
    """Paragraphs cleaned one by one, empty ones dropped, joined by one blank line."""
    return counted_body(text)[0]


def counted_body(text: str) -> tuple[str, int]:
    """``clean_body(text)`` and its ``count_words``: the words of each paragraph are split
    out while cleaning it, so the body is not split a second time to count them.

    A paragraph is a run of lines that are not blank (whitespace only), read off the lines
    ``_visible`` makes, so the text is not joined and split again on the way: the paragraphs
    the text split at every blank line gave, but for empty ones, which are dropped
    (tests/pipelines/test_clean.py holds the two together).
    """
    kept: list[str] = []
    words = 0
    paragraph: list[str] = []
    for line in _visible_lines(text):
        parts = line.split()
        if parts:
            paragraph += parts
        elif paragraph:
            kept.append(" ".join(paragraph))
            words += len(paragraph)
            paragraph = []
    if paragraph:
        kept.append(" ".join(paragraph))
        words += len(paragraph)
    return PARAGRAPH_BREAK.join(kept), words


def clean_optional(text: str | None) -> str | None:
    """Like ``clean_inline``; an empty result becomes None (no value, not an empty one)."""
    if text is None:
        return None
    return clean_inline(text) or None


def clean_list(values: list[Any]) -> list[Any]:
    """Each text entry cleaned; empties and repeats dropped, first-seen order kept.

    Entries that are not text stay, for the validator to report.
    """
    kept: list[Any] = []  # a list: bad entries may be unhashable
    for value in values:
        cleaned = clean_inline(value) if isinstance(value, str) else value
        if cleaned != "" and cleaned not in kept:
            kept.append(cleaned)
    return kept


def _visible(text: str) -> str:
    """Entities decoded, NFC, every line break a ``\n``, invisible characters dropped.

    Kept: printable characters and all whitespace (folded by the callers). Dropped: control
    (Cc), format (Cf: zero-width spaces and joiners, soft hyphens, bidi marks, BOMs), private
    use and unassigned code points. NFC runs after decoding, since ``&#769;`` is a combining mark.
    """
    return "\n".join(_visible_lines(text))


def _visible_lines(text: str) -> list[str]:
    """The lines of ``_visible(text)``."""
    decoded = unicodedata.normalize("NFC", html.unescape(text))
    for separator, newline in _LINE_BREAKS:
        if separator in decoded:
            decoded = decoded.replace(separator, newline)
    # Most lines are all printable: test whole lines in C, walk characters only when needed.
    return [
        line if line.isprintable() else "".join(c for c in line if c.isprintable() or c.isspace())
        for line in decoded.split("\n")
    ]


class CleanPipeline:
    """Cleans ``StoryItem`` text fields in place; other items pass untouched.

    A value of the wrong type is left as it is for ValidatePipeline to quarantine with a
    reason: cleaning must not be where a bad record crashes.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StoryItem):
            return item
        # Attributes, not an ItemAdapter: StoryItem is a dataclass, and the adapter's lookups
        # cost more than cleaning the short fields.
        for name, clean in _FIELDS:
            value = getattr(item, name)
            if isinstance(value, list if clean is clean_list else str):
                setattr(item, name, clean(value))
        image = item.image
        if isinstance(image, dict) and isinstance(image.get("caption"), str):
            item.image = {**image, "caption": clean_optional(image["caption"])}
        title, body = item.title, item.body
        if isinstance(body, str):
            item.body, words = counted_body(body)
            if isinstance(title, str):
                item.word_count = words
                item.content_hash = content_hash(title, item.body)
        return item


_FIELDS: Final[tuple[tuple[str, Callable[[Any], Any]], ...]] = (
    ("title", clean_inline),
    ("summary", clean_optional),
    ("authors", clean_list),
    ("tags", clean_list),
    ("agency", clean_optional),
    ("dateline", clean_optional),
)
