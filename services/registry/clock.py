"""The day in China (Asia/Shanghai): the date every date rule of the registry is judged on by default."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["CHINA", "today"]

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    """Today's date in Beijing time (a server on UTC would be a day behind until 08:00)."""
    return dt.datetime.now(CHINA).date()
