"""SQL of 技术装备: a unit's instruments and the one-unit-per-instrument rule (manual 5.6.2).

The unique constraint ``equipment_one_unit`` on (设备类型, normalised 出厂编号) decides which unit
holds an instrument, also when two units race. An insert is ``ON CONFLICT … DO NOTHING`` (the
transaction stays usable to name the holder); an update that changes the key runs in a savepoint,
since a unique violation would otherwise abort the whole transaction. Every read and write takes
the caller's unit.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.kernel import DomainError
from services.kernel.db import Connection

from .. import errors
from ..model.completeness import Attached
from ..model.equipment import Equipment
from .attachments import AGGREGATED, aggregated, attached_of

__all__ = ["EquipmentRepository"]

_ATTEMPTS = 3
"""Tries of a write whose conflicting holder vanished before it could be named."""

_NAMES = (
    *("id", "unit_id", "type", "brand", "model", "serial", "purchased_on", "calibration_valid_until"),
    *("created_at", "updated_at"),
)
_COLUMNS = ", ".join(_NAMES)


def _equipment(row: Any) -> Equipment:
    return Equipment(**{name: row[name] for name in _NAMES})


def _facts(e: Equipment) -> tuple[Any, ...]:
    return (e.id, e.unit_id, e.type, e.brand, e.model, e.serial, e.purchased_on, e.calibration_valid_until)


def _values(e: Equipment) -> tuple[Any, ...]:
    return (*_facts(e), e.created_at, e.updated_at)


def _changes(e: Equipment) -> tuple[Any, ...]:
    return (*_facts(e), e.updated_at)


class EquipmentRepository:
    _INSERT = f"""
    INSERT INTO equipment ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT ON CONSTRAINT equipment_one_unit DO NOTHING
    RETURNING id"""
    _UPDATE = """
    UPDATE equipment SET (type, brand, model, serial, purchased_on, calibration_valid_until, updated_at)
      = ($3, $4, $5, $6, $7, $8, $9)
    WHERE id = $1 AND unit_id = $2
    RETURNING id"""
    _GET = f"SELECT {_COLUMNS} FROM equipment WHERE id = $1 AND unit_id = $2"
    _LOCK = f"{_GET} FOR UPDATE"
    _OF_UNIT = f"""
    SELECT {_COLUMNS}, {AGGREGATED} FROM equipment e {aggregated("e.id")}
    WHERE e.unit_id = $1 ORDER BY e.created_at, e.id"""
    _REMOVE = f"DELETE FROM equipment WHERE id = $1 AND unit_id = $2 RETURNING {_COLUMNS}"
    _HOLDER = """
    SELECT e.unit_id, u.unit_name FROM equipment e LEFT JOIN units u ON u.unit_id = e.unit_id
    WHERE e.type = $1 AND e.serial = $2"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, equipment: Equipment) -> None:
        """Store a new instrument; refused when it is already on a roster (this unit's or another's)."""
        for _ in range(_ATTEMPTS):
            if await self._conn.fetchval(self._INSERT, *_values(equipment)) is not None:
                return
            refusal = await self._refusal(equipment)
            if refusal is not None:
                raise refusal
        raise errors.EquipmentHeldByOtherUnitError(None)

    async def update(self, equipment: Equipment, *, key_changed: bool) -> bool:
        """Store the edited instrument (False: not the unit's); refused when its new (设备类型,
        出厂编号) is held. Only a changed key can violate the constraint, so only then a savepoint."""
        if not key_changed:
            return await self._conn.fetchval(self._UPDATE, *_changes(equipment)) is not None
        for _ in range(_ATTEMPTS):
            try:
                async with self._conn.transaction():  # a savepoint: the violation aborts only it
                    return await self._conn.fetchval(self._UPDATE, *_changes(equipment)) is not None
            except asyncpg.UniqueViolationError:
                refusal = await self._refusal(equipment)
            if refusal is not None:
                raise refusal
        raise errors.EquipmentHeldByOtherUnitError(None)

    async def get(self, equipment_id: uuid.UUID, unit_id: str, *, lock: bool = False) -> Equipment | None:
        """The unit's instrument (``lock``: held until the transaction ends)."""
        row = await self._conn.fetchrow(self._LOCK if lock else self._GET, equipment_id, unit_id)
        return None if row is None else _equipment(row)

    async def of_unit(self, unit_id: str) -> list[tuple[Equipment, list[Attached]]]:
        """All the unit's instruments, in the order they were added, each with its attachments
        (as ``Attachments.of`` reads them). One query."""
        return [(_equipment(row), attached_of(row)) for row in await self._conn.fetch(self._OF_UNIT, unit_id)]

    async def remove(self, equipment_id: uuid.UUID, unit_id: str) -> Equipment | None:
        row = await self._conn.fetchrow(self._REMOVE, equipment_id, unit_id)
        return None if row is None else _equipment(row)

    async def _refusal(self, equipment: Equipment) -> DomainError | None:
        """Why the instrument cannot be this unit's (None: its holder has just let it go)."""
        holder = await self._conn.fetchrow(self._HOLDER, equipment.type, equipment.serial)
        if holder is None:
            return None
        if holder["unit_id"] == equipment.unit_id:
            return errors.EquipmentAlreadyListedError()
        return errors.EquipmentHeldByOtherUnitError(holder["unit_name"])
