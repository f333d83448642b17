"""法定期限 (standards.md §2.3): 5 工作日 to accept or return, 15 工作日 from acceptance to decide,
+10 工作日 once (延期), counted on the working calendar; and the time left on a work's deadline.

The numbers come from the workflow data (``Limits``); the dates from the caller's clock, so
tests fix "today".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .calendar import WorkingCalendar

__all__ = [
    "Limits",
    "TimeLeft",
    "accept_due",
    "counted_from",
    "decision_due",
    "extended_due",
    "is_overdue",
    "time_left",
    "unloaded_years",
]


@dataclass(frozen=True, slots=True)
class Limits:
    """The statutory limits in 工作日."""

    accept: int = 5
    decide: int = 15
    extension: int = 10


@dataclass(frozen=True, slots=True)
class TimeLeft:
    """Working days from today to the deadline (negative once it passed) and whether it passed."""

    due: dt.date
    working_days: int
    overdue: bool


def accept_due(calendar: WorkingCalendar, submitted_on: dt.date, limits: Limits) -> dt.date:
    """The last day to 受理 or 退回补齐 a work submitted on ``submitted_on``; after it, 视为受理."""
    return calendar.add_working_days(submitted_on, limits.accept)


def decision_due(calendar: WorkingCalendar, accepted_on: dt.date, limits: Limits) -> dt.date:
    """The last day to 批准 or 不予批准 a work accepted on ``accepted_on``."""
    return calendar.add_working_days(accepted_on, limits.decide)


def extended_due(calendar: WorkingCalendar, due: dt.date, limits: Limits) -> dt.date:
    """延期: the decision deadline moved by the extension."""
    return calendar.add_working_days(due, limits.extension)


def is_overdue(due: dt.date, today: dt.date) -> bool:
    """The deadline is the whole of ``due``: only the next day is late."""
    return today > due


def time_left(calendar: WorkingCalendar, due: dt.date, today: dt.date) -> TimeLeft:
    """剩余工作日: 0 on the last day, negative when late."""
    return TimeLeft(due=due, working_days=calendar.working_days_between(today, due), overdue=is_overdue(due, today))


def counted_from(state: str, submitted_on: dt.date | None, accepted_on: dt.date | None) -> dt.date | None:
    """The day the current step's deadline is counted from: 提交 for 受理, 受理 for the decision."""
    return {"submitted": submitted_on, "accepted": accepted_on}.get(state)


def unloaded_years(calendar: WorkingCalendar, start: dt.date | None, due: dt.date | None) -> list[int]:
    """The years of ``(start, due]`` whose 放假安排 is not loaded: the deadline was counted through
    them on weekends only, so loading them may move it. A deadline inside loaded years has none,
    whatever year comes next (``calendar`` must hold every year from ``start`` to ``due``)."""
    if start is None or due is None or due <= start:
        return []
    first = start + dt.timedelta(days=1)
    return [year for year in range(first.year, due.year + 1) if year not in calendar.years]
