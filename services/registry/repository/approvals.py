"""applied_approvals (an approval applied once) and pending_changes (changes parked until their
certificate is in the register)."""

from __future__ import annotations

from services.kernel.db import Connection

__all__ = ["AppliedApprovals", "PendingChanges"]


class AppliedApprovals:
    _CLAIM = "INSERT INTO applied_approvals (application_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1"
    _FORGET = "DELETE FROM applied_approvals WHERE application_id = $1"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def claim(self, application_id: str) -> bool:
        """True the first time ``application_id`` is applied; False for any later delivery."""
        return await self._conn.fetchval(self._CLAIM, application_id) is not None

    async def forget(self, application_id: str) -> None:
        """Undo a claim in this transaction (the approval was parked, to be applied later)."""
        await self._conn.execute(self._FORGET, application_id)


class PendingChanges:
    _PARK = """INSERT INTO pending_changes (application_id, number, unit_id, certificate_type, event)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"""
    _TAKE = """DELETE FROM pending_changes
    WHERE application_id IN (
        SELECT application_id FROM pending_changes
        WHERE number = $1 OR (number IS NULL AND unit_id = $2 AND certificate_type = $3)
        ORDER BY parked_at, application_id FOR UPDATE SKIP LOCKED)
    RETURNING event, parked_at"""
    _READY = """DELETE FROM pending_changes p WHERE application_id IN (
        SELECT p2.application_id FROM pending_changes p2
        WHERE EXISTS (SELECT 1 FROM certificates c WHERE c.number = p2.number)
           OR (p2.number IS NULL AND EXISTS (SELECT 1 FROM certificates c WHERE c.unit_id = p2.unit_id
               AND c.certificate_type = p2.certificate_type AND c.status = '有效'))
        ORDER BY p2.parked_at LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING event, parked_at"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def park(
        self, application_id: str, *, number: str | None, unit_id: str, certificate_type: str, event: bytes
    ) -> None:
        await self._conn.execute(self._PARK, application_id, number, unit_id, certificate_type, event)

    async def take_for(self, number: str, *, unit_id: str | None, certificate_type: str) -> list[bytes]:
        """Remove and return the changes waiting for this certificate, oldest first."""
        rows = await self._conn.fetch(self._TAKE, number, unit_id, certificate_type)
        return [row["event"] for row in sorted(rows, key=lambda row: row["parked_at"])]

    async def take_ready(self, limit: int = 100) -> list[bytes]:
        """Remove and return parked changes whose certificate is now in the register (a legacy load)."""
        rows = await self._conn.fetch(self._READY, limit)
        return [row["event"] for row in sorted(rows, key=lambda row: row["parked_at"])]
