"""Stories waiting for the "Others Also Read" rule, kept small, within a memory budget.

While the rule is learned (the first ~10-20 s of a first run), the plain crawl goes on at full
speed and every story read meanwhile waits here for its list. A story's page is most of its
weight (~250 KB on the real site), so it is kept zlib-compressed (HTML compresses ~5-8x) beside
the few values the rule reads from it; the page comes back whole when the story is released.
The budget is in bytes, not stories, so a run of any length holds at most ``HOLD_BYTES``
(plus ~1 KB a story of parsed values, bounded by ``HOLD_STORIES``): beyond either, new story
requests wait as requests (a few hundred bytes each) until the rule releases the held ones.
"""

from __future__ import annotations

import zlib
from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from newscrawl.others.page_values import PageValues

if TYPE_CHECKING:
    from newscrawl.spiders.thestar import PendingStory

# ~64 real pages' worth of raw HTML, or ~500 compressed ones; synthetic pages are far smaller.
HOLD_BYTES: Final = 32 * 1024 * 1024
HOLD_STORIES: Final = 4096
# zlib's fastest level: the page is compressed once and read back at most once.
COMPRESS_LEVEL: Final = 1


@dataclass(frozen=True, slots=True)
class HeldStory:
    """A story without its page text (``story.raw_html`` is None), the page compressed."""

    story: PendingStory
    page: PageValues
    html: bytes | None  # zlib of the page's UTF-8 text; None: the story had no text

    @property
    def size(self) -> int:
        return len(self.html) if self.html is not None else 0

    def whole(self) -> PendingStory:
        if self.html is None:
            return self.story
        text = zlib.decompress(self.html).decode("utf-8", "surrogatepass")
        return replace(self.story, raw_html=text)


class HeldStories:
    """First in, first out; ``full`` says when new stories must wait as requests instead."""

    def __init__(self, max_bytes: int = HOLD_BYTES, max_stories: int = HOLD_STORIES) -> None:
        self.max_bytes = max_bytes
        self.max_stories = max_stories
        self._queue: deque[HeldStory] = deque()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._queue)

    def __bool__(self) -> bool:
        return bool(self._queue)

    @property
    def bytes(self) -> int:
        return self._bytes

    @property
    def full(self) -> bool:
        return self._bytes >= self.max_bytes or len(self._queue) >= self.max_stories

    def add(self, story: PendingStory, page: PageValues) -> None:
        html = story.raw_html
        packed = (zlib.compress(html.encode("utf-8", "surrogatepass"), COMPRESS_LEVEL)
                  if html is not None else None)
        held = HeldStory(replace(story, raw_html=None), page, packed)
        self._queue.append(held)
        self._bytes += held.size

    def first(self) -> HeldStory:
        return self._queue[0]

    def pop(self) -> HeldStory:
        held = self._queue.popleft()
        self._bytes -= held.size
        return held
