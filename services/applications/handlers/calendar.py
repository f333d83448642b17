"""工作日历: the calendar a deadline is counted on, and the administrator's 放假安排 per year
(GET/PUT /calendar/{year}, and ``python -m services.applications calendar load FILE``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from contracts.applications import review_api as api
from contracts.auth import Caller
from services.kernel import UnitOfWork
from services.kernel.db import Connection

from .. import clock, errors
from ..model import deadlines
from ..model.calendar import REST, WORK, SpecialDay, WorkingCalendar, check_year
from ..model.deadlines import Limits
from ..repository import calendar as calendar_sql
from ..repository import transitions
from ..repository.transitions import Progress

__all__ = [
    "FIRST_YEAR",
    "HORIZON",
    "LAST_YEAR",
    "calendar_near",
    "horizon_missing",
    "load_year",
    "read_reminder",
    "read_year",
    "recount",
    "recounted",
]

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years the calendar API accepts."""


async def calendar_near(conn: Connection, day: dt.date, *also: dt.date | None) -> WorkingCalendar:
    """The calendar for deadlines counted from ``day``: its year, the one before and the next (25
    工作日 at most cross one new year), stretched to hold the years of ``also`` (the days a shown
    deadline was counted from and runs to)."""
    years = [day.year - 1, day.year + 1, *(d.year for d in also if d is not None)]
    return await calendar_sql.calendar_for(conn, min(years), max(years))


HORIZON = dt.timedelta(days=60)
"""How far a deadline counted from today may reach: 25 工作日 and the longest holidays around them."""


def horizon_missing(calendar: WorkingCalendar, today: dt.date) -> set[int]:
    """The years a deadline counted from ``today`` may reach whose 放假安排 is not loaded: the
    administrator is reminded of them before any work's deadline runs into them."""
    return {day.year for day in (today, today + HORIZON) if day.year not in calendar.years}


async def read_reminder(*, uow: UnitOfWork) -> api.CalendarReminder:
    """What the administrator is reminded to load (系统管理 and its 待办), counted from today."""
    today = clock.today()
    async with uow.reading() as conn:
        calendar = await calendar_near(conn, today)
    missing = sorted(horizon_missing(calendar, today))
    return api.CalendarReminder(today=today, horizon_days=HORIZON.days, missing_years=missing)


def _check_range(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise errors.CalendarInvalidError("year", f"年份应在{FIRST_YEAR}至{LAST_YEAR}之间")


async def read_year(year: int, *, uow: UnitOfWork) -> api.CalendarYear:
    _check_range(year)
    async with uow.reading() as conn:
        loaded, days = await calendar_sql.read_year(conn, year)
    return _view(year, loaded, days)


async def load_year(
    year: int, notice: api.CalendarNotice, caller: Caller, *, uow: UnitOfWork, limits: Limits
) -> api.CalendarYear:
    """The administrator's notice replaces the year (checked first: nothing half-written), and the
    open work whose deadline reaches into the year has it counted again on the new calendar."""
    if caller.role != "admin":
        raise errors.AdministratorOnlyError()
    _check_range(year)
    days = [SpecialDay(d.day, REST, d.name) for d in notice.rest_days]
    days += [SpecialDay(d.day, WORK, d.name) for d in notice.work_days]
    problem = check_year(year, [d.day for d in notice.rest_days], [d.day for d in notice.work_days])
    duplicated = len({d.day for d in days}) != len(days)
    if problem is not None or duplicated:
        raise errors.CalendarInvalidError(problem.field if problem else "rest_days", _problem_text(problem))
    loaded_by = caller.username or caller.account_id
    async with uow:
        await calendar_sql.replace_year(uow.conn, year, source=notice.source, loaded_by=loaded_by, days=days)
        await recount(uow.conn, year, limits)
        await uow.commit()
    return _view(year, (notice.source, loaded_by), sorted(days, key=lambda d: d.day))


async def recount(conn: Connection, year: int, limits: Limits) -> int:
    """Count again the deadlines of open work that reach into ``year``; how many moved."""
    calendar = await calendar_sql.calendar_for(conn, year - 1, year + 1)
    moved = 0
    for progress in await transitions.open_since(conn, dt.date(year, 1, 1)):
        step = recounted(progress, calendar, limits)
        if step != progress:
            await transitions.set_dues(conn, step)
            moved += 1
    return moved


def recounted(progress: Progress, calendar: WorkingCalendar, limits: Limits) -> Progress:
    """The work's deadlines counted from its dates of 提交 and 受理 on ``calendar``."""
    step = progress
    if progress.state == "submitted" and progress.submitted_on:
        step = dataclasses.replace(step, accept_due=deadlines.accept_due(calendar, progress.submitted_on, limits))
    if progress.state == "accepted" and progress.accepted_on:
        due = deadlines.decision_due(calendar, progress.accepted_on, limits)
        if progress.extended:
            due = deadlines.extended_due(calendar, due, limits)
        step = dataclasses.replace(step, decision_due=due)
    return step


def _problem_text(problem: object) -> str:
    return getattr(problem, "message", "同一日期重复列出")


def _view(year: int, loaded: tuple[str, str] | None, days: list[SpecialDay]) -> api.CalendarYear:
    return api.CalendarYear(
        year=year,
        loaded=loaded is not None,
        source=loaded[0] if loaded else None,
        loaded_by=loaded[1] if loaded else None,
        rest_days=[api.CalendarDay(day=d.day, name=d.name) for d in days if d.kind == REST],
        work_days=[api.CalendarDay(day=d.day, name=d.name) for d in days if d.kind == WORK],
    )
