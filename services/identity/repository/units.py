"""Units (法人单位): registration, and the particulars an approved application sets."""

from __future__ import annotations

import uuid
from typing import Any

from services.kernel.db import Connection

from .. import model

__all__ = ["Units"]


class Units:
    _INSERT = """
    INSERT INTO units (id, name, name_key, credit_code, contact_name, mobile)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT DO NOTHING
    RETURNING id"""
    _NAME_TAKEN = "SELECT EXISTS (SELECT 1 FROM units WHERE name_key = $1)"
    _NAME_TAKEN_BY_OTHER = "SELECT EXISTS (SELECT 1 FROM units WHERE name_key = $1 AND id <> $2)"
    # Each particular is set only when stated ($n IS NOT NULL); verification happens once.
    _APPLY = """
    UPDATE units SET
        name = coalesce($2, name),
        name_key = coalesce($3, name_key),
        registered_address = coalesce($4, registered_address),
        legal_representative = coalesce($5, legal_representative),
        verified_at = CASE WHEN $6 THEN coalesce(verified_at, now()) ELSE verified_at END,
        verified_by_application =
            CASE WHEN $6 THEN coalesce(verified_by_application, $7) ELSE verified_by_application END
    WHERE id = $1
    RETURNING id, name, credit_code"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, unit: model.Unit) -> bool:
        """False when the name (key) or credit code is already registered; nothing is written then."""
        row = await self._conn.fetchval(
            self._INSERT, unit.id, unit.name, unit.name_key, unit.credit_code, unit.contact_name, unit.mobile
        )
        return row is not None

    async def name_taken(self, name_key: str, *, by_other_than: uuid.UUID | None = None) -> bool:
        if by_other_than is None:
            return bool(await self._conn.fetchval(self._NAME_TAKEN, name_key))
        return bool(await self._conn.fetchval(self._NAME_TAKEN_BY_OTHER, name_key, by_other_than))

    async def apply(self, change: model.ParticularsChange) -> Any:
        """Set what ``change`` states; the unit's (id, name, credit_code) after it, or None (no such unit)."""
        return await self._conn.fetchrow(
            self._APPLY,
            change.unit_id,
            change.name,
            change.name_key,
            change.registered_address,
            change.legal_representative,
            change.verify,
            change.application_id,
        )
