"""Dates as the site writes them, read as Malaysia time (MYT, UTC+08:00)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Final

# The site's clock, for every date the crawl reads or compares (one definition: pipelines too).
MYT: Final = timezone(timedelta(hours=8))

# "Saturday, 12 Oct 2024": the weekday is optional and ignored (it can disagree with the date).
_VISIBLE_DATE_RE = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})"
)
# "5:00 PM MYT", "17:05"
_VISIBLE_TIME_RE = re.compile(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?")
_MONTHS = {
    name: index
    for index, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}


def in_myt(value: datetime) -> datetime:
    """``value`` on the MYT clock; a naive value is taken to be MYT already (the site's habit)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=MYT)
    return value.astimezone(MYT)


def parse_machine_date(value: str | None) -> datetime | None:
    """ISO 8601 or ``2025-02-25 19:34:00`` (local, no offset), as MYT; None when unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return in_myt(datetime.fromisoformat(text))
    except ValueError:
        return None


def parse_visible_date(date_text: str | None, time_text: str | None = None) -> datetime | None:
    """``Saturday, 12 Oct 2024`` plus ``5:00 PM MYT``; midnight when the time is missing."""
    match = _VISIBLE_DATE_RE.search(date_text or "")
    if not match:
        return None
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        return None
    hour = minute = 0
    clock = _VISIBLE_TIME_RE.search(time_text or "")
    if clock:
        hour, minute = int(clock["h"]), int(clock["m"])
        meridiem = (clock["ampm"] or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        return datetime(int(match["year"]), month, int(match["day"]), hour, minute, tzinfo=MYT)
    except ValueError:
        return None


def parse_feed_date(value: str | None) -> datetime | None:
    """RSS ``pubDate`` (``Fri, 24 Mar 2017 15:32:08 +08:00``, colon or not), as MYT."""
    if not value:
        return None
    # email.utils wants "+0800"; the site writes "+08:00".
    text = re.sub(r"([+-]\d{2}):(\d{2})\s*$", r"\1\2", value.strip())
    try:
        return in_myt(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return parse_machine_date(value)
