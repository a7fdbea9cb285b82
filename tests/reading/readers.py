"""What a test's reading pool runs instead of ``read_story``: sent by name to a spawned worker,
so they live in a module of their own (a test module would be imported again there)."""

from __future__ import annotations

import os
import signal

from newscrawl.reading.story_read import StoryRead, ValuesWanted, read_story


def unpicklable(url: str, page_url: str, html: str | bytes, content_type: str | None,
                wanted: ValuesWanted | None) -> StoryRead:
    """A reading whose result does not pickle (a lambda in it), once, for ``url`` "bad"."""
    read = read_story(url, page_url, html, content_type, wanted)
    if url == "bad":
        return StoryRead(url, label=lambda: None)  # type: ignore[arg-type]
    return read


def dies(url: str, page_url: str, html: str | bytes, content_type: str | None,
         wanted: ValuesWanted | None) -> StoryRead:
    """The worker is killed (as the OOM killer would) while reading a page whose URL says so."""
    if url.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    return read_story(url, page_url, html, content_type, wanted)
