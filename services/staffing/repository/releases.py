"""协调: who holds a person or an instrument (locked for the release), the release itself, and the
releases a unit or an authority may read."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from services.kernel.db import Connection

from .attachments import Attachments

__all__ = ["Holding", "Releases", "StoredRelease"]


@dataclass(frozen=True, slots=True)
class Holding:
    """A person or instrument on a unit's roster; ``unit_name`` and ``jurisdiction`` from the
    units replica ('' while the unit is unknown there). ``label``: the name and masked number of
    a person, the 设备类型 and 出厂编号 of an instrument."""

    entry_id: uuid.UUID
    unit_id: str
    unit_name: str
    jurisdiction: str
    label: str


@dataclass(frozen=True, slots=True)
class StoredRelease:
    id: uuid.UUID
    kind: str
    unit_id: str
    unit_name: str
    subject: str
    reason: str
    released_by: str
    jurisdiction: str
    created_at: dt.datetime


_HOLDER = """
coalesce(u.unit_name, '') AS unit_name, coalesce(u.jurisdiction, '') AS jurisdiction"""
_RELEASE_COLUMNS = """
r.id, r.kind, r.unit_id, coalesce(u.unit_name, '') AS unit_name, r.subject, r.reason, r.released_by,
r.jurisdiction, r.created_at"""


class Releases:
    _PERSON = f"""
    SELECT p.id AS entry_id, p.unit_id, {_HOLDER}, p.name || ' ' || p.id_number_masked AS label
    FROM persons p LEFT JOIN units u ON u.unit_id = p.unit_id
    WHERE p.id_number_hash = $1 FOR UPDATE OF p"""
    _INSTRUMENT = f"""
    SELECT e.id AS entry_id, e.unit_id, {_HOLDER}, e.type || ' ' || e.serial AS label
    FROM equipment e LEFT JOIN units u ON u.unit_id = e.unit_id
    WHERE e.type = $1 AND e.serial = $2 FOR UPDATE OF e"""
    _REMOVE_PERSON = "DELETE FROM persons WHERE id = $1"
    _REMOVE_INSTRUMENT = "DELETE FROM equipment WHERE id = $1"
    _ADD = """
    INSERT INTO releases (id, kind, subject_id, unit_id, subject, reason, released_by, jurisdiction)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING created_at"""
    _PAGE = f"""
    SELECT {_RELEASE_COLUMNS} FROM releases r LEFT JOIN units u ON u.unit_id = r.unit_id
    WHERE {{where}} ORDER BY r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3"""
    _COUNT = "SELECT count(*) FROM releases r WHERE {where}"
    _OF_UNIT = "r.unit_id = $1"
    _WITHIN = "starts_with(r.jurisdiction, $1)"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def person_holding(self, id_number_hash: bytes) -> Holding | None:
        """The person of this keyed hash, locked until the unit of work ends."""
        row = await self._conn.fetchrow(self._PERSON, id_number_hash)
        return Holding(**row) if row else None

    async def instrument_holding(self, equipment_type: str, serial: str) -> Holding | None:
        row = await self._conn.fetchrow(self._INSTRUMENT, equipment_type, serial)
        return Holding(**row) if row else None

    async def release(self, holding: Holding, *, kind: str, reason: str, released_by: str) -> StoredRelease:
        """Take the entry and its attachments off the holder's roster and record why."""
        await Attachments(self._conn).clear([holding.entry_id])
        await self._conn.execute(self._REMOVE_PERSON if kind == "person" else self._REMOVE_INSTRUMENT, holding.entry_id)
        release_id = uuid.uuid4()
        created_at = await self._conn.fetchval(
            self._ADD,
            release_id,
            kind,
            holding.entry_id,
            holding.unit_id,
            holding.label,
            reason,
            released_by,
            holding.jurisdiction,
        )
        return StoredRelease(
            id=release_id,
            kind=kind,
            unit_id=holding.unit_id,
            unit_name=holding.unit_name,
            subject=holding.label,
            reason=reason,
            released_by=released_by,
            jurisdiction=holding.jurisdiction,
            created_at=created_at,
        )

    async def of_unit(self, unit_id: str, *, page: int, page_size: int) -> tuple[list[StoredRelease], int]:
        """The releases from the unit's roster, newest first."""
        return await self._page(self._OF_UNIT, unit_id, page=page, page_size=page_size)

    async def within(self, prefix: str, *, page: int, page_size: int) -> tuple[list[StoredRelease], int]:
        """The releases from units whose jurisdiction starts with ``prefix`` ('' for the country)."""
        return await self._page(self._WITHIN, prefix, page=page, page_size=page_size)

    async def _page(self, where: str, value: str, *, page: int, page_size: int) -> tuple[list[StoredRelease], int]:
        rows = await self._conn.fetch(self._PAGE.format(where=where), value, page_size, (page - 1) * page_size)
        total = await self._conn.fetchval(self._COUNT.format(where=where), value)
        return [StoredRelease(**row) for row in rows], total
