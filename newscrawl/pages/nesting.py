"""Pages nested deeper than the HTML parser goes: the excess wrappers unwrapped, the content kept.

libxml2 stops building the tree at a fixed depth (256 levels, 2048 with ``huge_tree``, which
``document`` sets as parsel and Scrapy's selectors do) and drops everything below it: a page
whose story sits inside 3,000 unclosed ``<div>`` lost its body and was quarantined ``no-body``.
Browsers do not lose it (Chromium re-parents elements past depth 512). Here, only when the
parser reports the limit, the page's tags are scanned once and every element that is both deep
(more than ``KEEP_TOP`` levels down) and high (``KEEP_BOTTOM`` or more levels above its deepest
descendant) is unwrapped: its start and end tags go, its text and children stay. What is left is
at most ``KEEP_TOP + KEEP_BOTTOM`` levels deep: the page's outer layout and the innermost levels,
where a story's container and paragraphs are, survive with their attributes.

Bound: one regular-expression scan and one pass over the tags, linear in the page; the scan
stops past ``MAX_TAGS`` tags and the page is then rejected as too deep (``document``). Measured
by bench/bench_nesting.py: 30,000 levels take ~130 ms CPU; the worst page still scanned
(~300,000 levels, 1.4 MiB) ~1.3 s and ~55 MiB of Python memory at its peak. An ordinary page
pays nothing: the scan runs only when the parser reports its limit.

The scan reads tags as the tokenizer does for well-formed markup but does not apply the
parser's implicit closes, so it may count a level too many (and unwrap a little more); a page
the parser still finds too deep afterwards is rejected too, never read without its lower part.
"""

from __future__ import annotations

import re
from array import array
from typing import Final

KEEP_TOP: Final = 768
KEEP_BOTTOM: Final = 768

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)(?:\s[^>]*)?/?>|<!--")
# Past this many tags the page is left as the parser read it (a story page has a few
# thousand): the scan's time and memory stay bounded whatever the page.
MAX_TAGS: Final = 300_000
# Their content is text to the tokenizer: a tag inside is no tag.
_RAW_TEXT: Final = frozenset({"script", "style", "textarea", "title", "xmp", "iframe",
                              "noembed", "noframes", "plaintext"})
_VOID: Final = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                          "meta", "source", "track", "wbr", "param", "keygen", "frame",
                          "basefont", "bgsound"})


def unwrap_excess_nesting(text: str) -> tuple[str, int]:
    """``text`` with the excess levels unwrapped, and how many elements were unwrapped
    (``text`` as it is, and 0, for a page of more than ``MAX_TAGS`` tags)."""
    tag_starts = array("q")  # where each start and end tag of an element is, in page order
    tag_ends = array("q")
    starts = array("q")  # per element: index of its start tag in tag_starts
    ends = array("q")  # per element: index of its end tag, -1 if never closed
    depths = array("q")
    heights = array("q")
    stack: list[tuple[str, int]] = []  # open elements: (name, element number)
    open_by_name: dict[str, int] = {}  # so a stray end tag costs O(1), not a stack search
    skip_to = 0
    for match in _TAG.finditer(text):
        if match.start() < skip_to:
            continue  # inside a comment or a script
        if len(tag_starts) > MAX_TAGS:
            return text, 0
        closing, name = match.group(1, 2)
        if name is None:  # a comment
            close = text.find("-->", match.end())
            if close < 0:
                break  # the rest is a comment
            skip_to = close + 3
            continue
        name = name.lower()
        if closing:
            if not open_by_name.get(name):
                continue  # an end tag without its element is ignored, as by the parser
            while True:  # it closes its element and any left open inside it
                top, element = stack.pop()
                open_by_name[top] -= 1
                if stack:
                    parent = stack[-1][1]
                    heights[parent] = max(heights[parent], heights[element] + 1)
                if top == name:
                    break
            ends[element] = len(tag_starts)
            tag_starts.append(match.start())
            tag_ends.append(match.end())
            continue
        if name in _VOID:
            continue
        element = len(starts)
        starts.append(len(tag_starts))
        tag_starts.append(match.start())
        tag_ends.append(match.end())
        ends.append(-1)
        depths.append(len(stack))
        heights.append(0)
        stack.append((name, element))
        open_by_name[name] = open_by_name.get(name, 0) + 1
        if name in _RAW_TEXT:
            close = _find_close(text, name, match.end())
            if close < 0:
                break  # never closed: the rest of the page is its text
            skip_to = close
    while stack:
        _, element = stack.pop()
        if stack:
            parent = stack[-1][1]
            heights[parent] = max(heights[parent], heights[element] + 1)
    drop: list[int] = []
    for element, depth in enumerate(depths):
        if depth >= KEEP_TOP and heights[element] >= KEEP_BOTTOM:
            drop.append(starts[element])
            if ends[element] >= 0:
                drop.append(ends[element])
    unwrapped = sum(1 for e, d in enumerate(depths) if d >= KEEP_TOP and heights[e] >= KEEP_BOTTOM)
    if not drop:
        return text, 0
    parts: list[str] = []
    last = 0
    for index in sorted(drop):
        parts.append(text[last:tag_starts[index]])
        last = tag_ends[index]
    parts.append(text[last:])
    return "".join(parts), unwrapped


_CLOSERS: dict[str, re.Pattern[str]] = {}


def _find_close(text: str, name: str, pos: int) -> int:
    pattern = _CLOSERS.get(name)
    if pattern is None:
        pattern = _CLOSERS[name] = re.compile(f"</{name}", re.IGNORECASE)
    found = pattern.search(text, pos)
    return found.start() if found is not None else -1
