"""The summary rule: the page's description, unless it only repeats the story's opening."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newscrawl.pages.wire import strip_dateline

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\xa0": " "})
_ELLIPSIS_RE = re.compile(r"(?:\.{3}|…)\s*$")


def summary_of(description: str | None, paragraphs: Sequence[str]) -> str | None:
    """``description`` when it says something of its own; None when it is the first paragraph
    or a prefix of it (the site falls back to the opening when no description was written)."""
    if not description or not description.strip():
        return None
    wanted = _comparable(_ELLIPSIS_RE.sub("", description))
    if not wanted:
        return None
    if paragraphs:
        first = paragraphs[0]
        for opening in (first, strip_dateline(first)):
            if _comparable(opening).startswith(wanted):
                return None
    return description.strip()


def _comparable(text: str) -> str:
    # Descriptions are often typed with straight quotes and re-spaced; compare on content.
    return " ".join(text.translate(_QUOTES).split()).casefold()
