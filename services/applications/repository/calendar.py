"""SQL of the working calendar (工作日历): the loaded years and their special days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from services.kernel.db import Connection

from ..model.calendar import SpecialDay, WorkingCalendar

__all__ = ["LoadedYear", "calendar_for", "read_year", "replace_year"]

_YEARS = "SELECT year FROM calendar_years WHERE year BETWEEN $1 AND $2"
_DAYS = "SELECT day, kind, name FROM holidays WHERE day BETWEEN $1 AND $2 ORDER BY day"
_YEAR = "SELECT year, source, loaded_by FROM calendar_years WHERE year = $1"
_LOCK_YEAR = "SELECT pg_advisory_xact_lock(hashtext('calendar_year'), $1)"
_DELETE_DAYS = "DELETE FROM holidays WHERE day BETWEEN $1 AND $2"
_INSERT_DAYS = "INSERT INTO holidays (day, kind, name) SELECT * FROM unnest($1::date[], $2::text[], $3::text[])"
_UPSERT_YEAR = """
INSERT INTO calendar_years (year, source, loaded_by) VALUES ($1, $2, $3)
ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, loaded_by = EXCLUDED.loaded_by, loaded_at = now()"""

LoadedYear = tuple[str, str]
"""(source, loaded_by) of a loaded year."""


def _bounds(first: int, last: int) -> tuple[dt.date, dt.date]:
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


async def calendar_for(conn: Connection, first: int, last: int) -> WorkingCalendar:
    """The calendar of the years ``first``..``last`` (a date outside them counts weekends only and
    is reported missing: ask for every year a deadline may reach)."""
    years = [row["year"] for row in await conn.fetch(_YEARS, first, last)]
    rows = await conn.fetch(_DAYS, *_bounds(first, last))
    return WorkingCalendar.of(years, (SpecialDay(r["day"], r["kind"], r["name"]) for r in rows))


async def read_year(conn: Connection, year: int) -> tuple[LoadedYear | None, list[SpecialDay]]:
    row = await conn.fetchrow(_YEAR, year)
    days = [SpecialDay(r["day"], r["kind"], r["name"]) for r in await conn.fetch(_DAYS, *_bounds(year, year))]
    return ((row["source"], row["loaded_by"]) if row is not None else None), days


async def replace_year(conn: Connection, year: int, *, source: str, loaded_by: str, days: Sequence[SpecialDay]) -> None:
    """The year's notice replaces whatever was loaded for it (inside the caller's transaction)."""
    await conn.execute(_LOCK_YEAR, year)
    await conn.execute(_DELETE_DAYS, *_bounds(year, year))
    columns: tuple[list[Any], list[Any], list[Any]] = (
        [d.day for d in days],
        [d.kind for d in days],
        [d.name for d in days],
    )
    await conn.execute(_INSERT_DAYS, *columns)
    await conn.execute(_UPSERT_YEAR, year, source, loaded_by)
