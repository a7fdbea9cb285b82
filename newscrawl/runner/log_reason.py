"""Why a crawl failed, in one line, read from the end of its log.

A failed ``newscrawl run`` must say why on the terminal (cron mails it), not only "see <log>":
the last error the crawl wrote is nearly always the reason (a setting it refused, a state file
it could not open, the exception that ended it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

# How much of the log's end is searched: a crawl's last error is near its end.
TAIL_BYTES: Final = 256 * 1024
MAX_LENGTH: Final = 300
# "2026-12-01 13:02:11 [scrapy.core.engine] ERROR: message" -> "[scrapy.core.engine] ERROR: …"
_LOGGED_RE: Final = re.compile(r"^(?:[\d-]+ [\d:,.]+ )?(\[[^\]]+\] (?:ERROR|CRITICAL): .+)$")
# The last line of a traceback ("ValueError: …") and the crawl's own one-line refusals.
_RAISED_RE: Final = re.compile(r"^(?:[\w.]+(?:Error|Exception|Exit)\b.*|newscrawl: .+)$")


def last_error_line(log: Path, *, start: int = 0) -> str | None:
    """The last ERROR/CRITICAL record, exception line or ``newscrawl:`` refusal written at or
    after byte ``start`` of ``log``; None when there is none (or no log)."""
    try:
        with log.open("rb") as file:
            size = file.seek(0, 2)
            file.seek(max(start, size - TAIL_BYTES))
            tail = file.read().decode("utf-8", "replace")
    except OSError:
        return None
    for line in reversed(tail.splitlines()):
        text = line.strip()
        logged = _LOGGED_RE.match(text)
        if logged is not None or _RAISED_RE.match(text):
            found = logged.group(1) if logged is not None else text
            return found if len(found) <= MAX_LENGTH else found[: MAX_LENGTH - 1] + "…"
    return None
