"""The replica of identity's units: name, 统一社会信用代码, jurisdiction and whether identity has
verified the unit (UnitVerified), of every unit."""

from __future__ import annotations

import datetime as dt

from services.kernel.db import Connection

__all__ = ["Units"]


class Units:
    _RECORD = """
    INSERT INTO units (unit_id, unit_name, credit_code, jurisdiction, updated_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (unit_id) DO UPDATE
    SET unit_name = excluded.unit_name, credit_code = excluded.credit_code,
        jurisdiction = excluded.jurisdiction, updated_at = excluded.updated_at
    WHERE units.updated_at <= excluded.updated_at"""
    _VERIFIED = "UPDATE units SET verified = true WHERE unit_id = $1"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def record(
        self,
        unit_id: str,
        *,
        unit_name: str,
        credit_code: str,
        jurisdiction: str,
        at: dt.datetime,
        verified: bool = False,
    ) -> None:
        """What identity said about the unit at ``at``; an older fact never overwrites a newer one,
        and a unit once verified (UnitVerified) stays verified."""
        await self._conn.execute(self._RECORD, unit_id, unit_name, credit_code, jurisdiction, at)
        if verified:
            await self._conn.execute(self._VERIFIED, unit_id)
