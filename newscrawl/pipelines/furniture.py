"""Page furniture in a story's body, looked for once per body.

``ValidatePipeline`` quarantines a body that holds furniture and ``StoryTallyExtension``
counts such bodies among the stories read: both ask about the same body string of the same
item, so the answer is kept for the few items in flight rather than worked out twice.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from newscrawl.boilerplate import find_boilerplate

# A body is asked about by validation and again by the story tally after the item is scraped;
# Scrapy's CONCURRENT_ITEMS (4 here) items in flight per response fit many times over.
_BODIES_KEPT: Final = 256


@lru_cache(maxsize=_BODIES_KEPT)
def boilerplate_in(body: str) -> tuple[str, ...]:
    """``find_boilerplate(body)``, as a tuple since the answer is shared between callers."""
    return tuple(find_boilerplate(body))
