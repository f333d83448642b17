"""SQL of 技术人员: a unit's persons, the one-unit-per-person rule, and the legacy persons ticked
for transfer (人员基本信息转移).

The unique constraint on ``id_number_hash`` decides which unit holds a person, also when two units
race. An insert is ``ON CONFLICT DO NOTHING`` (the transaction stays usable to name the holder);
an update that changes the number runs in a savepoint, since a unique violation would otherwise
abort the whole transaction. Every read and write of a person takes the caller's unit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from services.kernel import DomainError
from services.kernel.db import Connection

from .. import errors
from ..model.person import LEGACY, Person
from .attachments import AGGREGATED, aggregated

__all__ = ["LegacyPerson", "LegacyPersons", "Persons", "SealedNumber", "StoredPerson"]

_ATTEMPTS = 3
"""Tries of a write whose conflicting holder vanished before it could be named."""


@dataclass(frozen=True, slots=True)
class SealedNumber:
    """证件号码 as stored: sealed (AES-GCM), its keyed hash (the unique key), masked for lists."""

    sealed: bytes
    key: bytes
    masked: str


@dataclass(frozen=True, slots=True)
class StoredPerson:
    id: uuid.UUID
    unit_id: str
    person: Person
    number: SealedNumber
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class LegacyPerson:
    """A row of the old system's export, ready to become a person of the caller's unit."""

    id: uuid.UUID
    person: Person
    number: SealedNumber


_FACT_NAMES = (
    *("name", "id_type", "category", "gender", "birth_date", "title_level", "title_name", "major", "education"),
    *("school", "retired", "hired_on", "substitute_reason"),
)
_FACTS = ", ".join(_FACT_NAMES)
_NUMBER = "id_number_enc, id_number_hash, id_number_masked"
_COLUMNS = f"id, unit_id, {_FACTS}, source, {_NUMBER}, created_at, updated_at"
_LISTED = ", ".join(f"p.{name}" for name in (*_FACT_NAMES, "id_number_masked", "source", "created_at", "updated_at"))


def _facts(person: Person) -> tuple[Any, ...]:
    p = person
    return (
        *(p.name, p.id_type, p.category, p.gender, p.birth_date, p.title_level, p.title_name),
        *(p.major, p.education, p.school, p.retired, p.hired_on, p.substitute_reason),
    )


def _person(row: Any, *, source: str) -> Person:
    return Person(**{name: row[name] for name in _FACT_NAMES}, source=source)


def _number(row: Any) -> SealedNumber:
    return SealedNumber(sealed=row["id_number_enc"], key=row["id_number_hash"], masked=row["id_number_masked"])


def _stored(row: Any) -> StoredPerson:
    return StoredPerson(
        id=row["id"],
        unit_id=row["unit_id"],
        person=_person(row, source=row["source"]),
        number=_number(row),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class Persons:
    _INSERT = f"""
    INSERT INTO persons (id, unit_id, {_FACTS}, source, {_NUMBER})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    ON CONFLICT (id_number_hash) DO NOTHING
    RETURNING {_COLUMNS}"""
    _UPDATE = f"""
    UPDATE persons SET (name, id_type, category, gender, birth_date, title_level, title_name, major,
        education, school, retired, hired_on, substitute_reason, {_NUMBER}, updated_at)
      = ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, now())
    WHERE id = $1 AND unit_id = $2
    RETURNING {_COLUMNS}"""
    _GET = f"SELECT {_COLUMNS} FROM persons WHERE id = $1 AND unit_id = $2"
    _OF_UNIT = f"""
    SELECT p.id::text AS id, p.unit_id, {_LISTED}, {AGGREGATED}
    FROM persons p {aggregated("p.id")}
    WHERE p.unit_id = $1 ORDER BY p.created_at, p.id"""
    _REMOVE = f"DELETE FROM persons WHERE id = $1 AND unit_id = $2 RETURNING {_COLUMNS}"
    _HOLDER = """
    SELECT p.unit_id, u.unit_name FROM persons p LEFT JOIN units u ON u.unit_id = p.unit_id
    WHERE p.id_number_hash = $1"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, person_id: uuid.UUID, unit_id: str, person: Person, number: SealedNumber) -> StoredPerson:
        """The new person; refused when the number is already on a roster (this unit's or another's)."""
        args = (person_id, unit_id, *_facts(person), person.source, number.sealed, number.key, number.masked)
        for _ in range(_ATTEMPTS):
            row = await self._conn.fetchrow(self._INSERT, *args)
            if row is not None:
                return _stored(row)
            refusal = await self._refusal(number.key, unit_id)
            if refusal is not None:
                raise refusal
        raise errors.PersonHeldByOtherUnitError(None)

    async def update(
        self, person_id: uuid.UUID, unit_id: str, person: Person, number: SealedNumber
    ) -> StoredPerson | None:
        """The person as changed (None: not the unit's; ``source`` stays as it was); refused when
        the new number is held."""
        args = (person_id, unit_id, *_facts(person), number.sealed, number.key, number.masked)
        for _ in range(_ATTEMPTS):
            try:
                async with self._conn.transaction():  # a savepoint: the violation aborts only it
                    row = await self._conn.fetchrow(self._UPDATE, *args)
                    return None if row is None else _stored(row)
            except asyncpg.UniqueViolationError:
                refusal = await self._refusal(number.key, unit_id)
            if refusal is not None:
                raise refusal
        raise errors.PersonHeldByOtherUnitError(None)

    async def get(self, person_id: uuid.UUID, unit_id: str) -> StoredPerson | None:
        row = await self._conn.fetchrow(self._GET, person_id, unit_id)
        return None if row is None else _stored(row)

    async def of_unit(self, unit_id: str) -> list[asyncpg.Record]:
        """All the unit's persons for its list, in the order they were added, as rows: ``id`` (text),
        ``unit_id``, every field of ``Person``, ``id_number_masked`` (never the sealed number),
        ``created_at``, ``updated_at``, and each one's attachments (``AGGREGATED``). One query."""
        return await self._conn.fetch(self._OF_UNIT, unit_id)

    async def remove(self, person_id: uuid.UUID, unit_id: str) -> StoredPerson | None:
        row = await self._conn.fetchrow(self._REMOVE, person_id, unit_id)
        return None if row is None else _stored(row)

    async def _refusal(self, key: bytes, unit_id: str) -> DomainError | None:
        """Why ``key`` cannot be this unit's (None: its holder has just let it go)."""
        holder = await self._conn.fetchrow(self._HOLDER, key)
        if holder is None:
            return None
        if holder["unit_id"] == unit_id:
            return errors.PersonAlreadyListedError()
        return errors.PersonHeldByOtherUnitError(holder["unit_name"])


class LegacyPersons:
    """老人老办法: the export's persons of a unit (by its 统一社会信用代码), and their transfer."""

    _CREDIT_CODE = "SELECT credit_code FROM units WHERE unit_id = $1"
    _TICKED = f"""
    SELECT id, name, id_type, category, gender, birth_date, title_level, title_name, major, education, school,
        retired, NULL::date AS hired_on, NULL::text AS substitute_reason, {_NUMBER}
    FROM legacy_persons
    WHERE id = ANY($1::uuid[]) AND credit_code = $2 AND transferred_at IS NULL
    ORDER BY id FOR UPDATE"""
    _TRANSFERRED = "UPDATE legacy_persons SET transferred_at = now() WHERE id = ANY($1::uuid[])"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def ticked(self, ids: Sequence[uuid.UUID], unit_id: str) -> dict[uuid.UUID, LegacyPerson]:
        """The ones of ``ids`` that are the unit's and not yet transferred, locked until commit."""
        credit_code = await self._conn.fetchval(self._CREDIT_CODE, unit_id)
        if credit_code is None:
            return {}
        rows = await self._conn.fetch(self._TICKED, list(ids), credit_code)
        return {
            row["id"]: LegacyPerson(id=row["id"], person=_person(row, source=LEGACY), number=_number(row))
            for row in rows
        }

    async def mark_transferred(self, ids: Sequence[uuid.UUID]) -> None:
        await self._conn.execute(self._TRANSFERRED, list(ids))
