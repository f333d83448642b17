"""certificates and certificate_versions as the issuing and changing use cases write them, and
number_counters (证书编号, one locked row per prefix and province)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from contracts.registry.events import CertifiedCategory
from services.kernel.db import Connection

__all__ = ["Certificates", "NumberCounters", "Particulars", "StoredCertificate"]


@dataclass(frozen=True, slots=True)
class Particulars:
    """What a version prints about the unit and the authority (单位名称, 注册地址, 法定代表人, 发证机关)."""

    unit_name: str
    registered_address: str
    legal_representative: str
    authority_name: str


@dataclass(frozen=True, slots=True)
class StoredCertificate:
    id: uuid.UUID
    number: str
    certificate_type: str
    level: str
    regime: str
    unit_id: str | None
    credit_code: str
    particulars: Particulars
    issuing_jurisdiction: str
    categories: list[CertifiedCategory]
    issued_on: dt.date
    valid_until: dt.date
    status: str
    current_version: int

    @classmethod
    def of(cls, row: Any) -> StoredCertificate:
        return cls(
            id=row["id"],
            number=row["number"],
            certificate_type=row["certificate_type"],
            level=row["level"],
            regime=row["regime"],
            unit_id=row["unit_id"],
            credit_code=row["credit_code"],
            particulars=Particulars(
                row["unit_name"], row["registered_address"], row["legal_representative"], row["authority_name"]
            ),
            issuing_jurisdiction=row["issuing_jurisdiction"],
            categories=[CertifiedCategory(**item) for item in row["categories"]],
            issued_on=row["issued_on"],
            valid_until=row["valid_until"],
            status=row["status"],
            current_version=row["current_version"],
        )


class NumberCounters:
    """The next sequence of a (prefix, province), taken under the row's lock until the transaction ends."""

    _TAKE = """
    INSERT INTO number_counters AS c (prefix, province, next_value) VALUES ($1, $2, 2)
    ON CONFLICT (prefix, province) DO UPDATE SET next_value = c.next_value + 1
    RETURNING next_value - 1"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def take(self, prefix: str, province: str) -> int:
        """The sequence for a new number; concurrent takers wait for this transaction to end."""
        return int(await self._conn.fetchval(self._TAKE, prefix, province))


class Certificates:
    _COLUMNS = """id, number, certificate_type, level, regime, unit_id, credit_code, unit_name,
    registered_address, legal_representative, issuing_jurisdiction, authority_name, categories,
    issued_on, valid_until, status, current_version"""
    _INSERT = f"""INSERT INTO certificates ({_COLUMNS}, application_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"""
    _BY_NUMBER = f"SELECT {_COLUMNS} FROM certificates WHERE number = $1 FOR UPDATE"
    _OF_UNIT = f"""SELECT {_COLUMNS} FROM certificates
    WHERE unit_id = $1 AND certificate_type = $2 AND status = '有效' ORDER BY issued_on DESC LIMIT 1 FOR UPDATE"""
    _ADD_VERSION = """INSERT INTO certificate_versions
    (certificate_id, version, kind, categories, particulars, issued_on, application_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7)"""
    _VOID_BEFORE = "UPDATE certificate_versions SET void = true WHERE certificate_id = $1 AND version < $2"
    _NEW_VERSION = """UPDATE certificates SET current_version = $2, unit_name = $3, registered_address = $4,
    legal_representative = $5, authority_name = $6, categories = $7, issued_on = $8 WHERE id = $1"""
    _SET_STATUS = """UPDATE certificates SET status = $2, cancelled_on = $3, cancel_reason = $4,
    replaced_by = $5 WHERE id = $1"""

    _EXPIRE = """UPDATE certificates SET status = '已过期'
    WHERE id IN (SELECT id FROM certificates WHERE status = '有效' AND valid_until < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
    RETURNING id, number, unit_id, credit_code, certificate_type"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def expire(self, today: dt.date, *, limit: int) -> list[Any]:
        """Mark valid certificates whose validity ended before ``today`` 已过期 (at most ``limit``)."""
        return list(await self._conn.fetch(self._EXPIRE, today, limit))

    async def add(self, cert: StoredCertificate, *, kind: str, application_id: str | None) -> None:
        """A new certificate and its first version."""
        p = cert.particulars
        await self._conn.execute(
            self._INSERT,
            cert.id,
            cert.number,
            cert.certificate_type,
            cert.level,
            cert.regime,
            cert.unit_id,
            cert.credit_code,
            p.unit_name,
            p.registered_address,
            p.legal_representative,
            cert.issuing_jurisdiction,
            p.authority_name,
            cert.categories,
            cert.issued_on,
            cert.valid_until,
            cert.status,
            cert.current_version,
            application_id,
        )
        await self._version(cert, kind=kind, application_id=application_id)

    async def by_number(self, number: str) -> StoredCertificate | None:
        """The certificate, locked for this transaction's change."""
        row = await self._conn.fetchrow(self._BY_NUMBER, number)
        return StoredCertificate.of(row) if row else None

    async def valid_of_unit(self, unit_id: str, certificate_type: str) -> StoredCertificate | None:
        """The unit's valid certificate of that type (a change naming no number), locked."""
        row = await self._conn.fetchrow(self._OF_UNIT, unit_id, certificate_type)
        return StoredCertificate.of(row) if row else None

    async def new_version(self, cert: StoredCertificate, *, kind: str, application_id: str | None) -> None:
        """``cert`` as its new current version says (its version number already the next one)."""
        p = cert.particulars
        await self._conn.execute(
            self._NEW_VERSION,
            cert.id,
            cert.current_version,
            p.unit_name,
            p.registered_address,
            p.legal_representative,
            p.authority_name,
            cert.categories,
            cert.issued_on,
        )
        await self._version(cert, kind=kind, application_id=application_id)
        if kind == "补发":
            await self._conn.execute(self._VOID_BEFORE, cert.id, cert.current_version)

    async def set_status(
        self,
        cert_id: uuid.UUID,
        status: str,
        *,
        cancelled_on: dt.date | None = None,
        reason: str | None = None,
        replaced_by: str | None = None,
    ) -> None:
        await self._conn.execute(self._SET_STATUS, cert_id, status, cancelled_on, reason, replaced_by)

    async def _version(self, cert: StoredCertificate, *, kind: str, application_id: str | None) -> None:
        p = cert.particulars
        particulars = {
            "unit_name": p.unit_name,
            "registered_address": p.registered_address,
            "legal_representative": p.legal_representative,
            "authority_name": p.authority_name,
        }
        await self._conn.execute(
            self._ADD_VERSION,
            cert.id,
            cert.current_version,
            kind,
            cert.categories,
            particulars,
            cert.issued_on,
            application_id,
        )
