"""工作日历: which days are working days, from the 国务院办公厅 holiday notices kept as data.

A loaded year lists its 休息日 (statutory holidays and the days off around them) and its
调休上班 days (weekend days worked in lieu). A day of a loaded year is a working day when it is a
调休上班 day, or a Monday–Friday that is not a 休息日. A year nobody loaded counts weekends only:
the answer names it (``missing_years``) so the authority is warned, and nothing fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "REST",
    "WORK",
    "DayKind",
    "SpecialDay",
    "WorkingCalendar",
    "YearProblem",
    "check_year",
    "missing_years_warning",
]

REST: DayKind = "休息日"
WORK: DayKind = "调休上班"
DayKind = Literal["休息日", "调休上班"]


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """One day of a notice: a 休息日 or a 调休上班 day, with the holiday it belongs to."""

    day: dt.date
    kind: DayKind
    name: str = ""


@dataclass(frozen=True, slots=True)
class YearProblem:
    """Why a year's schedule is refused: the index of the offending day in its list and why."""

    field: str
    message: str


def check_year(year: int, rest_days: Iterable[dt.date], work_days: Iterable[dt.date]) -> YearProblem | None:
    """A 国务院办公厅 notice as loaded: every day inside ``year``, no day both off and worked,
    and a 调休上班 day falls on a weekend (a weekday is a working day already)."""
    rest, work = list(rest_days), list(work_days)
    for name, days in (("rest_days", rest), ("work_days", work)):
        for index, day in enumerate(days):
            if day.year != year:
                return YearProblem(f"{name}[{index}]", f"{day.isoformat()} 不在{year}年内")
    for index, day in enumerate(work):
        if day.weekday() < 5:
            return YearProblem(f"work_days[{index}]", f"{day.isoformat()} 是周一至周五，不是调休上班日")
        if day in rest:
            return YearProblem(f"work_days[{index}]", f"{day.isoformat()} 同时列为休息日和调休上班日")
    return None


def missing_years_warning(years: Iterable[int]) -> str | None:
    """The warning an authority reads when a deadline ran into years without a schedule."""
    listed = "、".join(f"{year}年" for year in sorted(set(years)))
    if not listed:
        return None
    return f"{listed}放假安排尚未载入，期限暂按周末休息计算，请系统管理员载入国务院办公厅放假通知"


@dataclass(frozen=True)
class WorkingCalendar:
    """The loaded years and their special days; answers working-day questions for any date."""

    years: frozenset[int] = frozenset()
    rest: frozenset[dt.date] = frozenset()
    work: frozenset[dt.date] = frozenset()
    missing: set[int] = field(default_factory=set, compare=False)
    """Years asked about but not loaded (filled as the calendar is used: one calendar per answer)."""

    @classmethod
    def of(cls, years: Iterable[int], days: Iterable[SpecialDay]) -> WorkingCalendar:
        listed = list(days)
        return cls(
            years=frozenset(years),
            rest=frozenset(d.day for d in listed if d.kind == REST),
            work=frozenset(d.day for d in listed if d.kind == WORK),
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self.years:
            self.missing.add(day.year)
            return day.weekday() < 5
        if day in self.work:
            return True
        return day.weekday() < 5 and day not in self.rest

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day, left = start, count
        while left:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; negative (the days in ``(end, start]``) when ``end`` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        return sum(1 for offset in range(1, days + 1) if self.is_working_day(start + dt.timedelta(days=offset)))
