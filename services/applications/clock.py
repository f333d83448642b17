"""The day in China (Asia/Shanghai) and the time now: what every date of a work is judged on
(the kernel's Beijing clock)."""

from __future__ import annotations

import datetime as dt

from services.kernel.clock import CHINA, today

__all__ = ["CHINA", "now", "today"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
