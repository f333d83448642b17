"""SQL of documents: the documents of a unit, the freezes that hold them, and each unit's usage.

Every read of a document returns the jurisdictions of the freezes holding it, so the model can
decide who may read it; listings always take the caller's unit.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from contracts.documents import api
from services.kernel.db import Connection

from . import model
from .rules import Kind

__all__ = ["Documents", "Freezes", "PendingObjects", "Usage"]

_COLUMNS = """
    d.id, d.unit_id, d.purpose, d.filename, d.content_type, d.size, d.sha256, d.created_at,
    d.frozen_at IS NOT NULL AS frozen"""
_JURISDICTIONS = """
    ARRAY(SELECT DISTINCT f.jurisdiction FROM frozen_documents fd
          JOIN freezes f ON f.application_id = fd.application_id AND f.revision = fd.revision
          WHERE fd.document_id = d.id) AS jurisdictions"""


def _document(row: Any) -> model.Document:
    return model.Document(
        id=row["id"],
        unit_id=row["unit_id"],
        purpose=row["purpose"],
        filename=row["filename"],
        kind=Kind(row["content_type"]),
        size=row["size"],
        sha256=row["sha256"],
        created_at=row["created_at"],
        frozen=row["frozen"],
        jurisdictions=tuple(row.get("jurisdictions") or ()),
    )


class Documents:
    _INSERT = """
    INSERT INTO documents (id, unit_id, purpose, filename, content_type, size, sha256, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"""
    _GET = f"SELECT {_COLUMNS}, {_JURISDICTIONS} FROM documents d WHERE d.id = $1 AND d.deleted_at IS NULL"
    _FILTER = "d.unit_id = $1 AND d.deleted_at IS NULL AND ($2::text IS NULL OR d.purpose = $2)"
    _PAGE = f"""
    SELECT {_COLUMNS} FROM documents d WHERE {_FILTER}
    ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4"""
    _COUNT = f"SELECT count(*) FROM documents d WHERE {_FILTER}"
    _DELETE = f"""
    UPDATE documents d SET deleted_at = now()
    WHERE d.id = $1 AND d.unit_id = $2 AND d.deleted_at IS NULL AND d.frozen_at IS NULL
    RETURNING {_COLUMNS}"""
    _FROZEN = "SELECT frozen_at IS NOT NULL FROM documents WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL"
    _FREEZE = f"""
    UPDATE documents d SET frozen_at = coalesce(d.frozen_at, now())
    WHERE d.id = ANY($1::uuid[]) AND d.unit_id = $2 AND d.deleted_at IS NULL
    RETURNING {_COLUMNS}"""
    _KNOWN = "SELECT id FROM documents WHERE id = ANY($1::uuid[])"
    _PURGEABLE = """
    SELECT id FROM documents
    WHERE deleted_at < now() - make_interval(days => $1) AND purged_at IS NULL
    ORDER BY deleted_at LIMIT $2"""
    _PURGED = "UPDATE documents SET purged_at = now() WHERE id = ANY($1::uuid[])"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, document: model.Document) -> None:
        d = document
        args = (d.id, d.unit_id, d.purpose, d.filename, d.kind.content_type, d.size, d.sha256, d.created_at)
        await self._conn.execute(self._INSERT, *args)

    async def get(self, document_id: uuid.UUID) -> model.Document | None:
        """The document (not deleted) with the jurisdictions of the freezes holding it."""
        row = await self._conn.fetchrow(self._GET, document_id)
        return None if row is None else _document(row)

    async def page(
        self, unit_id: str, *, purpose: str | None, page: int, page_size: int
    ) -> tuple[list[model.Document], int]:
        """One page of the unit's documents, newest first, and how many there are in all."""
        rows = await self._conn.fetch(self._PAGE, unit_id, purpose, page_size, (page - 1) * page_size)
        total = await self._conn.fetchval(self._COUNT, unit_id, purpose)
        return [_document(row) for row in rows], int(total)

    async def delete(self, document_id: uuid.UUID, unit_id: str) -> model.Document | None:
        """Mark the unit's document deleted unless it is frozen; None when nothing was deleted."""
        row = await self._conn.fetchrow(self._DELETE, document_id, unit_id)
        return None if row is None else _document(row)

    async def is_frozen(self, document_id: uuid.UUID, unit_id: str) -> bool | None:
        """Whether the unit's (not deleted) document is frozen; None when it has no such document."""
        frozen: bool | None = await self._conn.fetchval(self._FROZEN, document_id, unit_id)
        return frozen

    async def freeze(self, document_ids: list[uuid.UUID], unit_id: str) -> list[model.Document]:
        """Mark the unit's (not deleted) documents among ``document_ids`` frozen; those it marked."""
        rows = await self._conn.fetch(self._FREEZE, document_ids, unit_id)
        return [_document(row) for row in rows]

    async def known(self, document_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        """Which of ``document_ids`` have a row (deleted or purged ones included)."""
        return {row["id"] for row in await self._conn.fetch(self._KNOWN, document_ids)}

    async def purgeable(self, retention_days: int, *, limit: int) -> list[uuid.UUID]:
        """Deleted documents past the retention whose bytes are still kept, oldest deletion first."""
        return [row["id"] for row in await self._conn.fetch(self._PURGEABLE, retention_days, limit)]

    async def mark_purged(self, document_ids: list[uuid.UUID]) -> None:
        await self._conn.execute(self._PURGED, document_ids)


class PendingObjects:
    _ADD = "INSERT INTO pending_objects (key) VALUES ($1)"
    _DROP = "DELETE FROM pending_objects WHERE key = ANY($1::uuid[])"
    _DUE = """
    SELECT key FROM pending_objects WHERE created_at < now() - make_interval(secs => $1)
    ORDER BY created_at LIMIT $2"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, key: uuid.UUID) -> None:
        await self._conn.execute(self._ADD, key)

    async def drop(self, keys: list[uuid.UUID]) -> None:
        await self._conn.execute(self._DROP, keys)

    async def due(self, older_than_seconds: float, *, limit: int) -> list[uuid.UUID]:
        """Objects recorded as being written longer ago than ``older_than_seconds``, oldest first."""
        return [row["key"] for row in await self._conn.fetch(self._DUE, older_than_seconds, limit)]


class Usage:
    _USED = "SELECT bytes FROM unit_usage WHERE unit_id = $1"
    _RESERVE = """
    INSERT INTO unit_usage AS u (unit_id, bytes) SELECT $1::text, $2::bigint WHERE $2::bigint <= $3::bigint
    ON CONFLICT (unit_id) DO UPDATE SET bytes = u.bytes + EXCLUDED.bytes WHERE u.bytes + EXCLUDED.bytes <= $3::bigint
    RETURNING bytes"""
    _RELEASE = "UPDATE unit_usage SET bytes = greatest(bytes - $2, 0) WHERE unit_id = $1"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def used(self, unit_id: str) -> int:
        return int(await self._conn.fetchval(self._USED, unit_id) or 0)

    async def reserve(self, unit_id: str, size: int, *, quota: int) -> bool:
        """Count ``size`` more bytes for the unit; False (nothing counted) when that passes ``quota``."""
        return await self._conn.fetchval(self._RESERVE, unit_id, size, quota) is not None

    async def release(self, unit_id: str, size: int) -> None:
        await self._conn.execute(self._RELEASE, unit_id, size)


class Freezes:
    _INSERT = """
    INSERT INTO freezes (application_id, revision, unit_id, jurisdiction) VALUES ($1, $2, $3, $4)
    ON CONFLICT DO NOTHING
    RETURNING created_at"""
    _HOLD = """
    INSERT INTO frozen_documents (application_id, revision, document_id, position)
    SELECT $1, $2, id, position FROM unnest($3::uuid[]) WITH ORDINALITY AS held (id, position)"""
    _GET = """
    SELECT f.application_id, f.revision, f.unit_id, f.jurisdiction, f.created_at,
           ARRAY(SELECT fd.document_id::text FROM frozen_documents fd
                 WHERE fd.application_id = f.application_id AND fd.revision = f.revision
                 ORDER BY fd.position) AS document_ids
    FROM freezes f WHERE f.application_id = $1 AND f.revision = $2"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, request: api.FreezeRequest) -> datetime | None:
        """When the freeze was made; None when ``(application_id, revision)`` is frozen already."""
        r = request
        created: datetime | None = await self._conn.fetchval(
            self._INSERT, r.application_id, r.revision, r.unit_id, r.jurisdiction
        )
        return created

    async def hold(self, request: api.FreezeRequest, document_ids: list[uuid.UUID]) -> None:
        await self._conn.execute(self._HOLD, request.application_id, request.revision, document_ids)

    async def get(self, application_id: str, revision: int) -> api.Freeze | None:
        row = await self._conn.fetchrow(self._GET, application_id, revision)
        if row is None:
            return None
        return api.Freeze(
            application_id=row["application_id"],
            revision=row["revision"],
            unit_id=row["unit_id"],
            jurisdiction=row["jurisdiction"],
            document_ids=list(row["document_ids"]),
            created_at=row["created_at"],
        )
