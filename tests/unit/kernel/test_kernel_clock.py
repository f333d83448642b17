"""Beijing time as users read it: an instant late on one UTC day is the next day in Beijing."""

from __future__ import annotations

import datetime as dt

import pytest

from services.kernel.clock import beijing_text


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        (dt.datetime(2026, 12, 6, 16, 30, tzinfo=dt.UTC), "2026-12-07 00:30"),  # submitted 00:30 on 12-07
        ("2026-12-06T16:30:00+00:00", "2026-12-07 00:30"),
        ("2026-12-06T16:30:00Z", "2026-12-07 00:30"),
        ("2026-12-06T11:30:00-05:00", "2026-12-07 00:30"),  # the same instant, written in New York
        (dt.datetime(2026, 12, 6, 16, 30), "2026-12-07 00:30"),  # no offset: timestamptz's UTC
        (dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC), "2027-01-01 07:59"),
        (dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), "2026-12-07 08:00"),
        ("2026-12-07", "2026-12-07"),  # a date stays a date
        (dt.date(2026, 12, 7), "2026-12-07"),
        (None, "—"),
        ("", "—"),
        ("不是日期", "不是日期"),
    ],
)
def test_an_instant_is_shown_in_beijing_time(instant: object, shown: str) -> None:
    assert beijing_text(instant) == shown  # type: ignore[arg-type]


def test_seconds_when_asked() -> None:
    assert beijing_text(dt.datetime(2026, 12, 6, 16, 30, 5, tzinfo=dt.UTC), seconds=True) == "2026-12-07 00:30:05"
