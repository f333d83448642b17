"""Snapshots (人员装备快照): one sealed row per (application, revision), and the official mark."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from services.kernel.db import Connection

__all__ = ["Snapshots", "StoredSnapshot"]

_COLUMNS = "id, unit_id, application_id, revision, jurisdiction, taken_on, content, created_at, official_at"


@dataclass(frozen=True, slots=True)
class StoredSnapshot:
    """A snapshot row; ``content`` is the sealed JSON of ``model.snapshot.SnapshotContent``."""

    id: uuid.UUID
    unit_id: str
    application_id: str
    revision: int
    jurisdiction: str
    taken_on: dt.date
    content: bytes
    created_at: dt.datetime
    official_at: dt.datetime | None


class Snapshots:
    _GET = f"SELECT {_COLUMNS} FROM snapshots WHERE id = $1"
    _OF_REVISION = f"SELECT {_COLUMNS} FROM snapshots WHERE application_id = $1 AND revision = $2"
    _ADD = f"""
    INSERT INTO snapshots (id, unit_id, application_id, revision, jurisdiction, taken_on, content)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (application_id, revision) DO NOTHING
    RETURNING {_COLUMNS}"""
    _MAKE_OFFICIAL = f"""
    UPDATE snapshots SET official_at = now() WHERE id = $1 AND official_at IS NULL RETURNING {_COLUMNS}"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, snapshot_id: uuid.UUID) -> StoredSnapshot | None:
        row = await self._conn.fetchrow(self._GET, snapshot_id)
        return StoredSnapshot(**row) if row else None

    async def of_revision(self, application_id: str, revision: int) -> StoredSnapshot | None:
        row = await self._conn.fetchrow(self._OF_REVISION, application_id, revision)
        return StoredSnapshot(**row) if row else None

    async def add(
        self,
        snapshot_id: uuid.UUID,
        *,
        unit_id: str,
        application_id: str,
        revision: int,
        jurisdiction: str,
        taken_on: dt.date,
        content: bytes,
    ) -> StoredSnapshot | None:
        """The new row, or None when this (application, revision) was frozen meanwhile."""
        row = await self._conn.fetchrow(
            self._ADD, snapshot_id, unit_id, application_id, revision, jurisdiction, taken_on, content
        )
        return StoredSnapshot(**row) if row else None

    async def make_official(self, snapshot_id: uuid.UUID) -> StoredSnapshot | None:
        """Mark the snapshot official; None when it does not exist or already was."""
        row = await self._conn.fetchrow(self._MAKE_OFFICIAL, snapshot_id)
        return StoredSnapshot(**row) if row else None
