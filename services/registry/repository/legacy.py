"""The legacy load's SQL: under one advisory lock, the numbers already in the register, then three
binary COPYs straight into certificates, certificate_versions and the outbox (rows built by the
caller, ids included), and the 2021 counters moved past any loaded number of that form — all in
the caller's transaction. COPY into the tables themselves (not INSERT … SELECT from a staging
table) lets PostgreSQL write the rows in batches; the indexes and constraints stay as they are."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

import msgspec

from services.kernel.db import Connection

__all__ = ["CERTIFICATE_COLUMNS", "EVENT_COLUMNS", "VERSION_COLUMNS", "LegacyCertificates"]

CERTIFICATE_COLUMNS = (
    "id",
    "number",
    "certificate_type",
    "level",
    "regime",
    "unit_id",
    "credit_code",
    "unit_name",
    "issuing_jurisdiction",
    "authority_name",
    "categories",
    "issued_on",
    "valid_until",
    "status",
)
VERSION_COLUMNS = ("certificate_id", "version", "kind", "categories", "particulars", "issued_on", "gets_pdf")
"""``gets_pdf`` false: a 旧证 version never gets a signed 电子证书 (the PDF job leaves it out)."""
EVENT_COLUMNS = ("event_id", "aggregate_id", "subject", "payload")


class LegacyCertificates:
    _LOCK = "SELECT pg_advisory_xact_lock(hashtext('registry.legacy_load'))"
    _EXISTING = "SELECT number FROM certificates WHERE number = ANY($1::text[])"
    _VERIFY = """INSERT INTO verified_units (unit_id, credit_code) VALUES ($1, $2)
        ON CONFLICT (unit_id) DO UPDATE SET credit_code = excluded.credit_code"""
    _OWNERS = "SELECT credit_code, unit_id FROM verified_units WHERE credit_code = ANY($1::text[]) ORDER BY unit_id"
    _LINK = """UPDATE certificates SET unit_id = $1
        WHERE credit_code = $2 AND unit_id IS NULL RETURNING id, number"""
    _COUNTERS = """INSERT INTO number_counters AS c (prefix, province, next_value)
        SELECT * FROM unnest($1::text[], $2::text[], $3::integer[])
        ON CONFLICT (prefix, province) DO UPDATE SET next_value = greatest(c.next_value, excluded.next_value)"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def lock(self) -> None:
        """One load at a time (until the transaction ends)."""
        await self._conn.execute(self._LOCK)

    async def existing(self, numbers: Sequence[str]) -> set[str]:
        """Those of ``numbers`` already in the register."""
        return {row["number"] for row in await self._conn.fetch(self._EXISTING, list(numbers))}

    async def owners(self, credit_codes: Iterable[str]) -> dict[str, str]:
        """The verified unit of each of ``credit_codes`` that has one (credit code → unit id)."""
        rows = await self._conn.fetch(self._OWNERS, sorted(set(credit_codes)))
        return {row["credit_code"]: row["unit_id"] for row in rows}

    async def verify_and_link(self, unit_id: str, credit_code: str) -> list[tuple[str, str]]:
        """The unit is verified with ``credit_code``: remembered (a later load links to it), and
        the certificates of that credit code without a unit are now its own; their (id, number).
        Call under ``lock``, so a load running meanwhile cannot miss the unit."""
        await self._conn.execute(self._VERIFY, unit_id, credit_code)
        return [(str(row["id"]), row["number"]) for row in await self._conn.fetch(self._LINK, unit_id, credit_code)]

    async def copy(
        self,
        certificates: Iterable[tuple[Any, ...]],
        versions: Iterable[tuple[Any, ...]],
        events: Iterable[tuple[Any, ...]],
    ) -> None:
        """COPY the rows (CERTIFICATE_COLUMNS, VERSION_COLUMNS, EVENT_COLUMNS) into their tables,
        in that order, each streamed as it is read (``versions`` and ``events`` may be filled while
        ``certificates`` is read: the legacy batch builds them so); jsonb values are Python objects
        (encoded by msgspec)."""
        async with _binary_jsonb(self._conn):
            await self._conn.copy_records_to_table("certificates", records=certificates, columns=CERTIFICATE_COLUMNS)
            await self._conn.copy_records_to_table("certificate_versions", records=versions, columns=VERSION_COLUMNS)
            await self._conn.copy_records_to_table("outbox", records=events, columns=EVENT_COLUMNS)

    async def move_counters(self, floors: dict[tuple[str, str], int]) -> None:
        """Each (prefix, province) counter at least at its floor: a loaded number is never issued again."""
        if floors:
            keys = sorted(floors)
            await self._conn.execute(
                self._COUNTERS, [k[0] for k in keys], [k[1] for k in keys], [floors[k] for k in keys]
            )


@contextlib.asynccontextmanager
async def _binary_jsonb(conn: Connection) -> AsyncIterator[None]:
    """jsonb in binary (COPY is binary; the pool's codec is text), then the pool's text codec again."""
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: b"\x01" + msgspec.json.encode(value),  # jsonb's binary format: version 1, then text
        decoder=lambda data: msgspec.json.decode(data[1:]),
        schema="pg_catalog",
        format="binary",
    )
    try:
        yield
    finally:
        await conn.set_type_codec(
            "jsonb",
            encoder=lambda value: msgspec.json.encode(value).decode(),
            decoder=msgspec.json.decode,
            schema="pg_catalog",
        )
