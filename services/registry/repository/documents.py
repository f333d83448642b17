"""The 电子证书 of each version: versions still without their signed PDF, and storing one."""

from __future__ import annotations

import uuid
from typing import Any

from services.kernel.db import Connection

__all__ = ["Documents"]


class Documents:
    """The waiting versions are read through the partial index ``certificate_versions_awaiting_pdf``
    (migration 0003): its predicate is repeated here, so the 旧证 versions (``gets_pdf`` false)
    are never walked."""

    _SELECT = """SELECT c.number, c.certificate_type, c.level, c.credit_code, c.valid_until,
        v.certificate_id, v.version, v.kind, v.categories, v.particulars, v.issued_on
    FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id
    WHERE v.pdf IS NULL AND NOT v.void AND v.gets_pdf AND c.regime = '2021'"""
    _MISSING = f"{_SELECT} ORDER BY v.created_at LIMIT $1 FOR UPDATE OF v SKIP LOCKED"
    _ONE = f"{_SELECT} AND v.certificate_id = $1 AND v.version = $2"
    _STORE = """UPDATE certificate_versions SET pdf = $3, pdf_sha256 = $4, verify_url = $5
    WHERE certificate_id = $1 AND version = $2 AND pdf IS NULL"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def missing(self, limit: int) -> list[Any]:
        """Versions waiting for their document, locked (another replica skips them)."""
        return list(await self._conn.fetch(self._MISSING, limit))

    async def waiting(self, certificate_id: uuid.UUID, version: int) -> Any | None:
        """That version, if it still waits for its document."""
        return await self._conn.fetchrow(self._ONE, certificate_id, version)

    async def store(self, certificate_id: uuid.UUID, version: int, pdf: bytes, sha256: str, verify_url: str) -> None:
        """Keep the first document made for a version (a concurrent maker's is dropped), with the
        verification address its QR code carries."""
        await self._conn.execute(self._STORE, certificate_id, version, pdf, sha256, verify_url)
