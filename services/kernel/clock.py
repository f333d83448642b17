"""Beijing time (Asia/Shanghai): the date every date rule is judged on, and the time every screen
shows. A server on UTC would be a day behind until 08:00 Beijing time, and a visitor's browser in
another time zone would date a work submitted at 00:30 on the day before."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["CHINA", "beijing_text", "today"]

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    """Today's date in Beijing time."""
    return dt.datetime.now(CHINA).date()


def beijing_text(instant: dt.datetime | dt.date | str | None, *, seconds: bool = False) -> str:
    """An instant as shown to users, ``2026-12-07 00:30`` in Beijing time; a date stays a date.

    ISO text is read first (what the services answer); a time without an offset is UTC (what
    PostgreSQL's ``timestamptz`` holds). Nothing, or text that is no date, is shown as it came
    (``—`` for nothing).
    """
    if instant is None or instant == "":
        return "—"
    if isinstance(instant, str):
        try:
            read = _read(instant)
        except ValueError:
            return instant
    else:
        read = instant
    if not isinstance(read, dt.datetime):
        return read.isoformat()
    if read.tzinfo is None:
        read = read.replace(tzinfo=dt.UTC)
    return read.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _read(text: str) -> dt.datetime | dt.date:
    """ISO text: an instant when it has a time, else a date."""
    return dt.datetime.fromisoformat(text) if "T" in text or " " in text else dt.date.fromisoformat(text)
