from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newscrawl.pages.dates import (
    MYT,
    parse_feed_date,
    parse_machine_date,
    parse_visible_date,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-02-25 19:34:00", "2025-02-25T19:34:00+08:00"),  # itemprop: local, no offset
        ("2025-02-25T19:34:00+08:00", "2025-02-25T19:34:00+08:00"),
        ("2025-02-25T11:34:00Z", "2025-02-25T19:34:00+08:00"),
        ("2025-02-25T12:34:00+01:00", "2025-02-25T19:34:00+08:00"),
    ],
)
def test_machine_dates_are_read_as_myt(raw: str, expected: str) -> None:
    parsed = parse_machine_date(raw)
    assert parsed is not None and parsed.isoformat() == expected


@pytest.mark.parametrize("raw", [None, "", "yesterday", "2025-13-40 10:00:00"])
def test_unreadable_machine_date_is_none(raw: str | None) -> None:
    assert parse_machine_date(raw) is None


@pytest.mark.parametrize(
    ("date_text", "time_text", "expected"),
    [
        ("Saturday, 12 Oct 2024", "5:00 PM MYT", datetime(2024, 10, 12, 17, 0, tzinfo=MYT)),
        ("Saturday, 12 Oct 2024", "12:15 AM MYT", datetime(2024, 10, 12, 0, 15, tzinfo=MYT)),
        ("Saturday, 12 Oct 2024", "12:05 PM MYT", datetime(2024, 10, 12, 12, 5, tzinfo=MYT)),
        ("Friday, 07 March 2025", "9:40 AM MYT", datetime(2025, 3, 7, 9, 40, tzinfo=MYT)),
        ("12 Oct 2024", None, datetime(2024, 10, 12, 0, 0, tzinfo=MYT)),
    ],
)
def test_visible_date_and_time(date_text: str, time_text: str | None, expected: datetime) -> None:
    assert parse_visible_date(date_text, time_text) == expected


@pytest.mark.parametrize("date_text", ["", "Saturday", "12 Foo 2024", "31 Feb 2024"])
def test_unreadable_visible_date_is_none(date_text: str) -> None:
    assert parse_visible_date(date_text, "5:00 PM MYT") is None


def test_feed_date_with_colon_in_offset() -> None:
    parsed = parse_feed_date("Fri, 24 Mar 2017 15:32:08 +08:00")
    assert parsed == datetime(2017, 3, 24, 15, 32, 8, tzinfo=timezone(timedelta(hours=8)))
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=8)


def test_feed_date_in_gmt_is_converted() -> None:
    parsed = parse_feed_date("Fri, 24 Mar 2017 07:32:08 GMT")
    assert parsed is not None and parsed.isoformat() == "2017-03-24T15:32:08+08:00"
