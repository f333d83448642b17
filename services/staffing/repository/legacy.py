"""老人老办法: the old system's staff export as loaded (legacy_persons, by COPY), the loads with
their rejected-rows reports (legacy_loads), and a unit's view of its legacy staff."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass

from contracts.staffing import api
from services.kernel.db import Connection

__all__ = ["LegacyLoads", "LegacyRecords", "LegacyStaff", "StoredReport"]


class LegacyRecords:
    """Rows of legacy_persons as the loader writes them."""

    _LOCK = "SELECT pg_advisory_xact_lock(hashtext('staffing.legacy_load'))"
    _IDENTITIES = "SELECT convert_to(credit_code, 'UTF8') || id_number_hash AS identity FROM legacy_persons"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def lock(self) -> None:
        """One load at a time, until this transaction ends (so two loads never both add a row)."""
        await self._conn.execute(self._LOCK)

    async def identities(self) -> list[bytes]:
        """Every row's identity in the export: its 统一社会信用代码 (UTF-8) then its keyed hash."""
        return [row["identity"] for row in await self._conn.fetch(self._IDENTITIES)]

    async def copy(self, data: AsyncIterable[bytes], *, columns: Sequence[str]) -> int:
        """COPY rows in PostgreSQL's binary format, streamed as they come; how many were written."""
        status = await self._conn.copy_to_table("legacy_persons", source=data, columns=columns, format="binary")
        return int(status.rpartition(" ")[2])


@dataclass(frozen=True, slots=True)
class StoredReport:
    loaded_by: str
    report: bytes


class LegacyLoads:
    """legacy_loads: who loaded which export, its counts and its rejected-rows report."""

    _ADD = """
    INSERT INTO legacy_loads (id, filename, loaded_by, rows, accepted, rejected, report)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at"""
    _REPORT = "SELECT loaded_by, report FROM legacy_loads WHERE id = $1"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(
        self,
        load_id: uuid.UUID,
        *,
        filename: str,
        loaded_by: str,
        counts: tuple[int, int, int],
        report: bytes,
    ) -> dt.datetime:
        """Record a load (``counts``: rows, accepted, rejected); when it was recorded."""
        created_at: dt.datetime = await self._conn.fetchval(self._ADD, load_id, filename, loaded_by, *counts, report)
        return created_at

    async def report(self, load_id: uuid.UUID) -> StoredReport | None:
        row = await self._conn.fetchrow(self._REPORT, load_id)
        return None if row is None else StoredReport(loaded_by=row["loaded_by"], report=row["report"])


class LegacyStaff:
    """‘老人老办法’技术人员查询: a unit's legacy staff, found by its 统一社会信用代码 in the units
    replica (a unit not yet in the replica has none)."""

    _CREDIT_CODE = "SELECT credit_code FROM units WHERE unit_id = $1"
    _COUNT = "SELECT count(*) FROM legacy_persons WHERE credit_code = $1"
    _PAGE = """
    SELECT id, name, id_type, id_number_masked, category, title_level, title_name, major, education,
        school, retired, transferred_at IS NOT NULL AS transferred
    FROM legacy_persons WHERE credit_code = $1
    ORDER BY name, line, id LIMIT $2 OFFSET $3"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def page(self, unit_id: str, *, page: int, page_size: int) -> tuple[list[api.LegacyPerson], int]:
        """One page of the unit's legacy staff by name, and how many there are in all."""
        credit_code = await self._conn.fetchval(self._CREDIT_CODE, unit_id)
        if credit_code is None:
            return [], 0
        total: int = await self._conn.fetchval(self._COUNT, credit_code)
        rows = await self._conn.fetch(self._PAGE, credit_code, page_size, (page - 1) * page_size)
        return [api.LegacyPerson(**{**dict(row), "id": str(row["id"])}) for row in rows], total
