"""Crawl progress as one log line every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds.

The crawl runs in a child process whose output goes to the run's log file; ``newscrawl run``
follows that file and turns these lines into a live status when a person is watching. One
format, written by ``ProgressLogExtension`` (``progress_log``) and read by ``parse_progress``,
lives here, without Scrapy: the parent process that reads it does not load the crawler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_LINE_RE: Final = re.compile(
    r"progress: pages=(?P<pages>\d+) stories=(?P<stories>\d+) "
    r"quarantined=(?P<quarantined>\d+) errors=(?P<errors>\d+)"
)


@dataclass(frozen=True, slots=True)
class Progress:
    pages: int = 0
    stories: int = 0
    quarantined: int = 0
    errors: int = 0

    def line(self) -> str:
        return (f"progress: pages={self.pages} stories={self.stories} "
                f"quarantined={self.quarantined} errors={self.errors}")


def parse_progress(line: str) -> Progress | None:
    match = _LINE_RE.search(line)
    if match is None:
        return None
    return Progress(*(int(match[name]) for name in ("pages", "stories", "quarantined", "errors")))
