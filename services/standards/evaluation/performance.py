"""甲级 测绘业绩 check (standards.md 2.7): 乙级 held 满N年 on the application date, 近N年 total, one
large project. "满", "不少于" and "不低于" are inclusive; months end on the 对应日 or, lacking one,
the month's last day (民法典 第二百零二条), so 2024-02-29 + 24 months is 2026-02-28.
"""

from __future__ import annotations

import calendar
import datetime

from contracts.standards.api import Requirement
from services.standards.evaluation import messages
from services.standards.evaluation.compiled import CENTS_PER_WAN, PerformanceCheck
from services.standards.evaluation.facts import Facts

__all__ = ["add_months", "check_performance", "full_months"]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The 对应日 ``months`` later (or earlier), clamped to the last day of the month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def full_months(since: datetime.date, day: datetime.date) -> int:
    """Whole months from ``since`` to ``day`` (``since <= day``)."""
    months = (day.year - since.year) * 12 + day.month - since.month
    return months - 1 if add_months(since, months) > day else months


def check_performance(check: PerformanceCheck, facts: Facts) -> list[Requirement]:
    day = facts.application_date
    start = add_months(day, -12 * check.window_years)
    amounts = [cents for done, cents in facts.projects.get(check.category, ()) if start <= done <= day]
    return [
        _prerequisite(check, facts),
        _total(check, cents=sum(amounts), period=f"{start.isoformat()}至{day.isoformat()}"),
        _single(check, max(amounts, default=0)),
    ]


def _prerequisite(check: PerformanceCheck, facts: Facts) -> Requirement:
    day = facts.application_date
    since = facts.held.get((check.category, check.prerequisite_level))
    held = full_months(since, day) if since is not None and since <= day else None
    required = 12 * check.prerequisite_years
    text = messages.prerequisite(
        check.category, level=check.prerequisite_level, years=check.prerequisite_years, months=required, held=held
    )
    passed = held is not None and held >= required
    return _requirement(
        check,
        id="performance.prerequisite",
        passed=passed,
        required=required,
        actual=held or 0,
        unit="个月",
        message=text,
    )


def _total(check: PerformanceCheck, *, cents: int, period: str) -> Requirement:
    actual = _wan(cents)
    text = messages.total_amount(
        check.category, years=check.window_years, period=period, required=check.min_total_wan, actual=actual
    )
    passed = cents >= check.min_total_cents
    required = _number(check.min_total_wan)
    return _requirement(
        check, id="performance.total", passed=passed, required=required, actual=actual, unit="万元", message=text
    )


def _single(check: PerformanceCheck, cents: int) -> Requirement:
    actual = _wan(cents)
    text = messages.single_project(
        check.category, years=check.window_years, required=check.min_single_wan, largest=actual
    )
    passed = cents >= check.min_single_cents
    required = _number(check.min_single_wan)
    return _requirement(
        check,
        id="performance.single_project",
        passed=passed,
        required=required,
        actual=actual,
        unit="万元",
        message=text,
    )


def _requirement(
    check: PerformanceCheck,
    *,
    id: str,
    passed: bool,
    required: int | float,
    actual: int | float,
    unit: str,
    message: str,
) -> Requirement:
    provenance = check.provenance
    return Requirement(
        id=id,
        kind="performance",
        status="pass" if passed else "fail",
        required=required,
        actual=actual,
        unit=unit,
        message=message,
        grade=provenance.grade,
        verified=provenance.verified,
        sources=provenance.sources,
    )


def _wan(cents: int) -> int | float:
    whole, rest = divmod(cents, CENTS_PER_WAN)
    return whole if rest == 0 else cents / CENTS_PER_WAN


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value
