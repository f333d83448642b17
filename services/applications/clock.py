"""The day in China (Asia/Shanghai) and the time now: what every date of a work is judged on."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["CHINA", "now", "today"]

CHINA = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in Beijing time."""
    return dt.datetime.now(CHINA).date()
