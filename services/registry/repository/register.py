"""The read side: a unit's certificates, the authority's register (filters, pages, CSV stream),
one certificate with its versions, the public view and the current version's document."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from services.kernel.db import Connection

__all__ = ["Document", "Register", "RegisterFilter"]

_ENTRY = """c.id, c.number, c.certificate_type, c.level, c.regime, c.unit_id, c.credit_code, c.unit_name,
c.registered_address, c.legal_representative, c.issuing_jurisdiction, c.authority_name, c.categories,
c.issued_on, c.valid_until, c.status, c.current_version, c.cancelled_on, c.cancel_reason, c.replaced_by"""
_PUBLIC_COLUMNS = """number, certificate_type, level, unit_name, categories, authority_name, issued_on, valid_until,
status"""
"""What the public view shows (证书查验): nothing personal."""


@dataclass(frozen=True)
class RegisterFilter:
    """The register's search; ``within`` is the authority's division prefix (``""``: the country)."""

    within: str
    number: str | None = None
    unit_name: str | None = None
    credit_code: str | None = None
    certificate_type: str | None = None
    category: str | None = None
    status: str | None = None
    expires_before: dt.date | None = None
    expires_after: dt.date | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause and its arguments (every value a parameter, never spliced)."""
        args: list[Any] = [self.within + "%"]
        clauses = ["c.issuing_jurisdiction LIKE $1"]

        def add(sql: str, value: Any) -> None:
            args.append(value)
            clauses.append(sql.replace("?", f"${len(args)}"))

        if self.number:
            add("c.number = ?", self.number)
        if self.unit_name:
            add("strpos(c.unit_name, ?) > 0", self.unit_name)
        if self.credit_code:
            add("c.credit_code = ?", self.credit_code)
        if self.certificate_type:
            add("c.certificate_type = ?", self.certificate_type)
        if self.category:
            add("c.categories @> jsonb_build_array(jsonb_build_object('category', ?::text))", self.category)
        if self.status:
            add("c.status = ?", self.status)
        if self.expires_before:
            add("c.valid_until <= ?", self.expires_before)
        if self.expires_after:
            add("c.valid_until >= ?", self.expires_after)
        return " AND ".join(clauses), args


@dataclass(frozen=True, slots=True)
class Document:
    """The current version's signed 电子证书 (None while it is being made)."""

    certificate_id: uuid.UUID
    version: int
    pdf: bytes | None


class Register:
    _MINE = (
        f"SELECT {_ENTRY}, v.pdf IS NOT NULL AS pdf_ready FROM certificates c JOIN certificate_versions v "
        "ON v.certificate_id = c.id AND v.version = c.current_version "
        "WHERE c.unit_id = $1 ORDER BY c.issued_on, c.number"
    )
    _ONE = f"SELECT {_ENTRY} FROM certificates c WHERE c.number = $1"
    _PUBLIC = f"SELECT {_PUBLIC_COLUMNS} FROM certificates WHERE number = $1"
    _PUBLIC_MANY = f"SELECT {_PUBLIC_COLUMNS} FROM certificates WHERE number = ANY($1::text[])"
    _PUBLIC_AFTER = f"SELECT {_PUBLIC_COLUMNS} FROM certificates WHERE number > $1 ORDER BY number LIMIT $2"
    _VERSIONS = """SELECT version, kind, issued_on, particulars, categories, void, application_id, pdf_sha256,
    verify_url
    FROM certificate_versions WHERE certificate_id = $1 ORDER BY version"""
    _DOCUMENT = """SELECT certificate_id, version, pdf FROM certificate_versions
    WHERE certificate_id = $1 AND version = $2"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def of_unit(self, unit_id: str) -> list[Any]:
        return list(await self._conn.fetch(self._MINE, unit_id))

    async def one(self, number: str) -> Any | None:
        return await self._conn.fetchrow(self._ONE, number)

    async def public(self, number: str) -> Any | None:
        """Only what the public view shows (证书查验, the hot path: one indexed row, nine columns)."""
        return await self._conn.fetchrow(self._PUBLIC, number)

    async def public_many(self, numbers: list[str]) -> list[Any]:
        """The public columns of those of ``numbers`` in the register (the others are left out)."""
        return list(await self._conn.fetch(self._PUBLIC_MANY, numbers))

    async def public_all(self, *, batch: int = 5000) -> AsyncIterator[list[Any]]:
        """The public columns of every certificate in number order, ``batch`` at a time (keyset pages)."""
        after = ""
        while rows := await self._conn.fetch(self._PUBLIC_AFTER, after, batch):
            yield list(rows)
            after = rows[-1]["number"]

    async def versions(self, certificate_id: uuid.UUID) -> list[Any]:
        return list(await self._conn.fetch(self._VERSIONS, certificate_id))

    async def document(self, certificate_id: uuid.UUID, version: int) -> Document | None:
        row = await self._conn.fetchrow(self._DOCUMENT, certificate_id, version)
        return Document(row["certificate_id"], row["version"], row["pdf"]) if row else None

    async def page(self, where: RegisterFilter, *, page: int, page_size: int) -> tuple[int, list[Any]]:
        clause, args = where.where()
        total = await self._conn.fetchval(f"SELECT count(*) FROM certificates c WHERE {clause}", *args)
        n = len(args)
        rows = await self._conn.fetch(
            f"SELECT {_ENTRY} FROM certificates c WHERE {clause} ORDER BY c.number LIMIT ${n + 1} OFFSET ${n + 2}",
            *args,
            page_size,
            (page - 1) * page_size,
        )
        return int(total), list(rows)

    async def stream(self, where: RegisterFilter, *, batch: int = 1000) -> AsyncIterator[list[Any]]:
        """Every matching row in number order, ``batch`` at a time (keyset pages: no long transaction)."""
        clause, args = where.where()
        n = len(args)
        sql = (
            f"SELECT {_ENTRY} FROM certificates c WHERE {clause} AND c.number > ${n + 1} "
            f"ORDER BY c.number LIMIT ${n + 2}"
        )
        after = ""
        while True:
            rows = await self._conn.fetch(sql, *args, after, batch)
            if not rows:
                return
            yield list(rows)
            after = rows[-1]["number"]
