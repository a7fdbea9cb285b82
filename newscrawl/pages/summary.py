"""The summary rule: the page's description, unless it only repeats the story's opening."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newscrawl.pages.wire import strip_dateline

# Each to a character that is none of them, so one replace after another is one translate().
_QUOTES = (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("\xa0", " "))
_ELLIPSIS_RE = re.compile(r"(?:\.{3}|…)\s*$")


def summary_of(description: str | None, paragraphs: Sequence[str]) -> str | None:
    """``description`` when it says something of its own; None when it is the first paragraph
    or a prefix of it (the site falls back to the opening when no description was written)."""
    if not description or not description.strip():
        return None
    # The regex tries a match at every dot: only a description that ends with one needs it.
    ends_cut = description.rstrip().endswith(("...", "…"))
    wanted = _comparable(_ELLIPSIS_RE.sub("", description) if ends_cut else description)
    if not wanted:
        return None
    if paragraphs:
        first = paragraphs[0]
        for opening in (first, strip_dateline(first)):
            if _opens_with(opening, wanted):
                return None
    return description.strip()


def _opens_with(text: str, wanted: str) -> bool:
    """``_comparable(text).startswith(wanted)``, reading only as much of ``text`` as needed.

    The comparable form of a prefix is a prefix of the whole's (characters map one by one,
    whitespace runs to one space), so once it is as long as ``wanted`` it decides.
    """
    head = _comparable(text[:2 * len(wanted) + 16])
    if len(head) > len(wanted):
        return head.startswith(wanted)
    return _comparable(text).startswith(wanted)


def _comparable(text: str) -> str:
    # Descriptions are often typed with straight quotes and re-spaced; compare on content.
    # Not translate() with a dict: it looks every character up (~4x these scans).
    for char, plain in _QUOTES:
        if char in text:
            text = text.replace(char, plain)
    return " ".join(text.split()).casefold()
