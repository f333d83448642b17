"""The day in China (Asia/Shanghai): the date every date rule of the registry is judged on by
default (the kernel's Beijing clock)."""

from __future__ import annotations

from services.kernel.clock import CHINA, today

__all__ = ["CHINA", "today"]
