"""SQL of the replicas: the units (identity) and their certificates (registry).

A legacy certificate loaded before its unit registered has no unit id: a unit's certificates are
those with its unit id or its 统一社会信用代码. Writes are upserts, so a redelivered event changes
nothing; certificate versions only move forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from contracts.applications.events import ApprovedLevel
from services.kernel.db import Connection

from ..model.work import HeldCertificate, UnitRecord

__all__ = [
    "held_certificates",
    "record_certificate",
    "record_particulars",
    "record_unit",
    "registration_approved",
    "set_certificate_status",
    "unit",
]

_UNIT = """
SELECT unit_id::text, unit_name, credit_code, verified, registered_address, legal_representative
FROM units WHERE unit_id = $1"""
_RECORD_UNIT = """
INSERT INTO units (unit_id, unit_name, credit_code, verified) VALUES ($1, $2, $3, $4)
ON CONFLICT (unit_id) DO UPDATE SET
  unit_name = CASE WHEN $4 OR NOT units.verified THEN EXCLUDED.unit_name ELSE units.unit_name END,
  credit_code = EXCLUDED.credit_code, verified = units.verified OR EXCLUDED.verified, updated_at = now()"""
_RECORD_PARTICULARS = """
UPDATE units SET unit_name = $2, registered_address = $3, legal_representative = $4, verified = true,
  updated_at = now()
WHERE unit_id = $1"""
_HELD = """
SELECT number, certificate_type, level, regime, categories, valid_until FROM certificates
WHERE status = 'valid' AND (unit_id = $1 OR credit_code = $2)
ORDER BY number"""
_RECORD_CERTIFICATE = """
INSERT INTO certificates (number, certificate_id, unit_id, credit_code, certificate_type, level, regime,
  categories, valid_until, certificate_version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (number) DO UPDATE SET
  certificate_id = EXCLUDED.certificate_id, unit_id = COALESCE(EXCLUDED.unit_id, certificates.unit_id),
  credit_code = EXCLUDED.credit_code, certificate_type = EXCLUDED.certificate_type,
  level = CASE WHEN EXCLUDED.level = '' THEN certificates.level ELSE EXCLUDED.level END,
  categories = EXCLUDED.categories, valid_until = EXCLUDED.valid_until,
  certificate_version = EXCLUDED.certificate_version, updated_at = now()
WHERE certificates.certificate_version < EXCLUDED.certificate_version"""
_SET_STATUS = """
INSERT INTO certificates (number, certificate_id, unit_id, credit_code, certificate_type, status, certificate_version)
VALUES ($1, $2, $3, $4, $5, $6, 0)
ON CONFLICT (number) DO UPDATE SET status = EXCLUDED.status, updated_at = now()"""
_REGISTRATION_APPROVED = """
SELECT EXISTS (SELECT 1 FROM units WHERE unit_id = $1 AND verified)
    OR EXISTS (SELECT 1 FROM applications WHERE unit_id = $1 AND application_type = '新单位注册'
               AND state = 'approved')"""


async def unit(conn: Connection, unit_id: str) -> UnitRecord | None:
    row = await conn.fetchrow(_UNIT, unit_id)
    return UnitRecord(**dict(row)) if row is not None else None


async def record_unit(conn: Connection, unit_id: str, unit_name: str, credit_code: str, *, verified: bool) -> None:
    """A registered (or verified) unit; a verified unit's name changes only through verification."""
    await conn.execute(_RECORD_UNIT, unit_id, unit_name, credit_code, verified)


async def record_particulars(
    conn: Connection, unit_id: str, unit_name: str, registered_address: str, legal_representative: str
) -> None:
    """The particulars of an approved 新单位注册 or 基本信息变更 (the unit is verified)."""
    await conn.execute(_RECORD_PARTICULARS, unit_id, unit_name, registered_address, legal_representative)


async def registration_approved(conn: Connection, unit_id: str) -> bool:
    """新单位注册 approved: identity says verified, or this service approved it."""
    return bool(await conn.fetchval(_REGISTRATION_APPROVED, unit_id))


def _certificate(row: Any) -> HeldCertificate:
    categories = tuple(
        ApprovedLevel(category=c["category"], level=c["level"], sub_items=list(c.get("sub_items") or []))
        for c in row["categories"]
    )
    return HeldCertificate(
        number=row["number"],
        certificate_type=row["certificate_type"],
        level=row["level"],
        regime=row["regime"],
        categories=categories,
        valid_until=row["valid_until"],
    )


async def held_certificates(conn: Connection, unit_id: str, credit_code: str) -> tuple[HeldCertificate, ...]:
    """The unit's valid certificates (2021 and legacy), by number."""
    return tuple(_certificate(row) for row in await conn.fetch(_HELD, unit_id, credit_code))


async def record_certificate(
    conn: Connection,
    *,
    number: str,
    certificate_id: str,
    unit_id: str | None,
    credit_code: str,
    certificate_type: str,
    level: str,
    regime: str,
    categories: Sequence[dict[str, Any]],
    valid_until: dt.date | None,
    certificate_version: int,
) -> None:
    """发证 or a new version (变更, 补发): kept only when newer than the version on record."""
    await conn.execute(
        _RECORD_CERTIFICATE,
        *(number, certificate_id, unit_id, credit_code, certificate_type, level, regime),
        *(list(categories), valid_until, certificate_version),
    )


async def set_certificate_status(
    conn: Connection,
    *,
    number: str,
    certificate_id: str,
    unit_id: str | None,
    credit_code: str,
    certificate_type: str,
    status: str,
) -> None:
    """已换证 / 已注销 / 已过期; a status that arrives before the certificate is kept (version 0)."""
    await conn.execute(_SET_STATUS, number, certificate_id, unit_id, credit_code, certificate_type, status)
