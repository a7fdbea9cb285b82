"""The site's name appended to headlines (``Story | The Star``), and taking it off.

A page whose headline is blank still carries the suffix in ``og:title``, which the meta reader
strips to ``| The Star``: with the separator at the start, a plain ``removesuffix(" | The
Star")`` missed it and ``| The Star`` was published as a title.
"""

from __future__ import annotations

import re
from typing import Final

# A separator, then the site's name, at the end: "… | The Star", "… - The Star Online", or
# the bare "| The Star" left of a blank headline. Without a separator it may be the story's.
_SITE_SUFFIX_RE: Final = re.compile(r"(?:^|\s)[|\-–—:]\s*The\s+Star(?:\s+Online)?\s*$")


def strip_site_suffix(title: str) -> str:
    """The headline without the site's name; "" when nothing else is left."""
    text = title.strip()
    while True:
        stripped = _SITE_SUFFIX_RE.sub("", text).strip()
        if stripped == text:
            return text
        text = stripped
