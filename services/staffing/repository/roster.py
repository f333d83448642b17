"""Reads of a whole roster: the countable facts (满足情况) and everything a snapshot freezes.

A handful of queries per unit whatever its size, none per row: for counting, one per table with
each entry's usable attachments aggregated beside it (``attachments.usable``, no join of the
documents replica); for a snapshot, one per table and one for all the entries' attachments
(``Attachments.of``).
"""

from __future__ import annotations

import datetime as dt

import asyncpg

from services.kernel.db import Connection

from ..model.completeness import Attached
from ..model.roster import InstrumentEntry, ProjectEntry, Roster, StaffEntry
from ..model.snapshot import InstrumentRecord, PersonRecord, RosterRecords, WorkRecord
from .attachments import Attachments
from .held import HeldCertificates

__all__ = ["RosterReads"]


def _counted(table: str, columns: str) -> str:
    """The unit's entries of ``table`` (alias ``e``), each with its usable attachments as two arrays
    (null without any): purposes and document ids. Counting needs no other: an entry counts
    only with usable documents, whatever the unusable ones are."""
    return f"""
    SELECT {columns}, attached.purposes, attached.documents
    FROM {table} e LEFT JOIN LATERAL (
        SELECT array_agg(purpose) AS purposes, array_agg(document_id::text) AS documents
        FROM attachments WHERE owner_id = e.id AND usable) attached ON true
    WHERE e.unit_id = $1 ORDER BY e.created_at, e.id"""


def _usable(row: asyncpg.Record) -> tuple[Attached, ...]:
    """The usable attachments of a ``_counted`` row (its two arrays come from one aggregate, so
    they are of one length)."""
    return tuple(map(Attached, row["purposes"] or (), row["documents"] or ()))


class RosterReads:
    """A unit's roster, in the order its entries were added."""

    _STAFF = _counted("persons", "e.id::text AS id, e.category, e.title_level, e.retired, e.substitute_reason")
    _INSTRUMENTS = _counted("equipment", "e.id::text AS id, e.type, e.calibration_valid_until")
    _WORKS = _counted("projects", "e.id::text AS id, e.category, e.amount_wan, e.completed_on")
    _PERSONS = """
    SELECT id, unit_id, name, id_type, id_number_enc, id_number_masked, category, gender, birth_date,
           title_level, title_name, major, education, school, retired, hired_on, substitute_reason,
           source, created_at, updated_at
    FROM persons WHERE unit_id = $1 ORDER BY created_at, id"""
    _EQUIPMENT = """
    SELECT id, unit_id, type, brand, model, serial, purchased_on, calibration_valid_until, created_at, updated_at
    FROM equipment WHERE unit_id = $1 ORDER BY created_at, id"""
    _PROJECTS = """
    SELECT id, unit_id, name, category, amount_wan, client, signed_on, completed_on, created_at, updated_at
    FROM projects WHERE unit_id = $1 ORDER BY created_at, id"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def roster(self, unit_id: str, *, on: dt.date) -> Roster:
        """What counting needs: categories, dates, the usable attachments, and the 资质 held on ``on``."""
        staff = await self._conn.fetch(self._STAFF, unit_id)
        instruments = await self._conn.fetch(self._INSTRUMENTS, unit_id)
        works = await self._conn.fetch(self._WORKS, unit_id)
        return Roster(
            staff=[
                StaffEntry(r["id"], r["category"], r["title_level"], r["retired"], r["substitute_reason"], _usable(r))
                for r in staff
            ],
            instruments=[
                InstrumentEntry(r["id"], r["type"], r["calibration_valid_until"], _usable(r)) for r in instruments
            ],
            projects=[
                ProjectEntry(r["id"], r["category"], r["amount_wan"], r["completed_on"], _usable(r)) for r in works
            ],
            held=await HeldCertificates(self._conn).of_unit(unit_id, on=on),
        )

    async def records(self, unit_id: str, *, on: dt.date) -> RosterRecords:
        """Every column of every entry (the 证件号码 sealed), for a snapshot taken on ``on``."""
        persons = [PersonRecord(**row) for row in await self._conn.fetch(self._PERSONS, unit_id)]
        instruments = [InstrumentRecord(**row) for row in await self._conn.fetch(self._EQUIPMENT, unit_id)]
        projects = [WorkRecord(**row) for row in await self._conn.fetch(self._PROJECTS, unit_id)]
        owners = [entry.id for entries in (persons, instruments, projects) for entry in entries]
        return RosterRecords(
            persons=persons,
            instruments=instruments,
            projects=projects,
            attached=await Attachments(self._conn).of(owners) if owners else {},
            held=await HeldCertificates(self._conn).of_unit(unit_id, on=on),
        )
