"""Attachments of an entry (person, instrument, project) and the replica of documents' documents.

Each attachment carries its own ``usable`` (the document is known and not deleted), so lists and
counts read it without joining ``known_documents``. It is written with the attachment, from
``known_documents`` under a share lock on the documents' rows, and the ``DocumentDeleted``
consumer turns it false after marking the document deleted (see ``Attachments.replace`` for why
the two never miss each other).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from services.kernel.db import Connection

from ..model.completeness import Attached

__all__ = ["AGGREGATED", "Attachments", "KnownDocument", "KnownDocuments", "aggregated", "attached_of"]

_ORDER = "ORDER BY purpose, document_id"


def aggregated(owner: str) -> str:
    """SQL joining the attachments of ``owner`` (an id column) as three arrays in the order of
    ``Attachments.of``, null without any: ``purposes``, ``documents`` (text) and ``usable``."""
    return f"""LEFT JOIN LATERAL (
        SELECT array_agg(purpose {_ORDER}) AS purposes, array_agg(document_id::text {_ORDER}) AS documents,
               array_agg(usable {_ORDER}) AS usable
        FROM attachments WHERE owner_id = {owner}) attached ON true"""


AGGREGATED = "attached.purposes, attached.documents, attached.usable"
"""The columns ``aggregated`` adds, to select."""


def attached_of(row: asyncpg.Record) -> list[Attached]:
    """The attachments of a row that selected ``AGGREGATED``."""
    arrays = (row["purposes"] or (), row["documents"] or (), row["usable"] or ())
    return [Attached(purpose, document_id, usable) for purpose, document_id, usable in zip(*arrays, strict=True)]


class Attachments:
    _CLEAR = "DELETE FROM attachments WHERE owner_id = ANY($1::uuid[])"
    _LOCK = """
    SELECT document_id FROM known_documents WHERE document_id = ANY($1::uuid[]) ORDER BY document_id FOR SHARE"""
    _ADD = f"""
    WITH added AS (
        INSERT INTO attachments (owner_id, purpose, document_id, usable)
        SELECT $1, a.purpose, a.document_id, coalesce(NOT kd.deleted, false)
        FROM unnest($2::text[], $3::uuid[]) AS a(purpose, document_id)
        LEFT JOIN known_documents kd ON kd.document_id = a.document_id
        ON CONFLICT DO NOTHING
        RETURNING purpose, document_id, usable)
    SELECT purpose, document_id::text, usable FROM added {_ORDER}"""
    _OF = """
    SELECT owner_id, purpose, document_id::text, usable FROM attachments
    WHERE owner_id = ANY($1::uuid[]) ORDER BY owner_id, purpose, document_id"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def replace(self, owner_id: uuid.UUID, attached: Sequence[tuple[str, uuid.UUID]]) -> list[Attached]:
        """The owner's attachments become exactly ``attached`` ((purpose, document id) pairs); as
        ``of`` now reads them.

        Each is usable when its document is known and not deleted. The documents' rows are share-
        locked first (before any attachment row is touched, so no deadlock with the consumer,
        which locks the document's row before the attachments). A concurrent ``DocumentDeleted``
        consumer (``KnownDocuments.forget``: mark the row deleted, then turn its attachments
        unusable) is thus either seen or sees: if it marked the row first, the lock waits for its
        commit and the insert reads the row deleted; if the lock came first, its update waits for
        this commit and its later UPDATE of attachments finds these rows. A document not known
        yet is attached unusable (it counts once ``KnownDocuments.remember`` learns it)."""
        if attached:
            await self._conn.execute(self._LOCK, [d for _, d in attached])
        await self._conn.execute(self._CLEAR, [owner_id])
        return await self._insert(owner_id, attached)

    async def add(self, owner_id: uuid.UUID, attached: Sequence[tuple[str, uuid.UUID]]) -> list[Attached]:
        """``replace`` for an owner just created (nothing to clear): one statement less."""
        if attached:
            await self._conn.execute(self._LOCK, [d for _, d in attached])
        return await self._insert(owner_id, attached)

    async def _insert(self, owner_id: uuid.UUID, attached: Sequence[tuple[str, uuid.UUID]]) -> list[Attached]:
        """Insert (the documents' rows locked already); the rows as ``of`` reads them."""
        if not attached:
            return []
        rows = await self._conn.fetch(self._ADD, owner_id, [p for p, _ in attached], [d for _, d in attached])
        return [Attached(row["purpose"], row["document_id"], row["usable"]) for row in rows]

    async def clear(self, owner_ids: Sequence[uuid.UUID]) -> None:
        await self._conn.execute(self._CLEAR, list(owner_ids))

    async def of(self, owner_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Attached]]:
        """Each owner's attachments (an owner without any is absent), ``usable`` false once deleted."""
        found: dict[uuid.UUID, list[Attached]] = {}
        for owner_id, purpose, document_id, usable in await self._conn.fetch(self._OF, list(owner_ids)):
            found.setdefault(owner_id, []).append(Attached(purpose, document_id, usable))
        return found


@dataclass(frozen=True, slots=True)
class KnownDocument:
    document_id: uuid.UUID
    unit_id: str
    purpose: str
    deleted: bool


class KnownDocuments:
    """What staffing knows of documents: their unit and purpose, and whether they were deleted."""

    _GET = "SELECT document_id, unit_id, purpose, deleted FROM known_documents WHERE document_id = ANY($1::uuid[])"
    _REMEMBER = """
    INSERT INTO known_documents (document_id, unit_id, purpose) VALUES ($1, $2, $3)
    ON CONFLICT (document_id) DO NOTHING
    RETURNING document_id"""
    _DELETED = """
    INSERT INTO known_documents (document_id, unit_id, purpose, deleted) VALUES ($1, $2, $3, true)
    ON CONFLICT (document_id) DO UPDATE SET deleted = true"""
    _USABLE = "UPDATE attachments SET usable = $2 WHERE document_id = $1 AND usable <> $2"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, KnownDocument]:
        rows = await self._conn.fetch(self._GET, list(document_ids))
        return {row["document_id"]: KnownDocument(**dict(row)) for row in rows}

    async def remember(self, document_id: uuid.UUID, unit_id: str, purpose: str) -> None:
        """A stored document (its event, or the documents API); a deletion already known stays.
        Attachments made before it was known (unusable until now) count from now on."""
        if await self._conn.fetchval(self._REMEMBER, document_id, unit_id, purpose) is not None:
            await self._conn.execute(self._USABLE, document_id, True)

    async def forget(self, document_id: uuid.UUID, unit_id: str, purpose: str) -> None:
        """A deleted document: the entries it is attached to no longer count. The document's row
        first (its lock orders this against ``Attachments.replace``), then its attachments."""
        await self._conn.execute(self._DELETED, document_id, unit_id, purpose)
        await self._conn.execute(self._USABLE, document_id, False)
