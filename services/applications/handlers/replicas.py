"""Replicas fed by events: identity's units, the registry's certificates, and the particulars of
this service's own approved 新单位注册 / 基本信息变更. Each write is an upsert (a redelivered event
changes nothing), and certificate versions only move forward."""

from __future__ import annotations

from contracts.applications.events import ApplicationApproved
from contracts.identity.events import UnitAccountRegisteredV2, UnitVerified
from contracts.registry.events import (
    CertificateCancelled,
    CertificateChanged,
    CertificateExpired,
    CertificateIssued,
    CertificateReplaced,
)
from services.kernel import UnitOfWork

from ..repository import replicas

__all__ = [
    "record_approved_particulars",
    "record_certificate",
    "record_certificate_end",
    "record_unit",
    "record_verified",
]

_PARTICULAR_TYPES = frozenset({"新单位注册", "基本信息变更"})


async def record_unit(event: UnitAccountRegisteredV2, uow: UnitOfWork) -> None:
    """单位注册: the unit's name and credit code (not yet verified)."""
    async with uow:
        await replicas.record_unit(uow.conn, event.unit_id, event.unit_name, event.credit_code, verified=False)
        await uow.commit()


async def record_verified(event: UnitVerified, uow: UnitOfWork) -> None:
    """单位已核实: 新单位注册 approved (or 基本信息变更 applied); the name on record."""
    async with uow:
        await replicas.record_unit(uow.conn, event.unit_id, event.unit_name, event.credit_code, verified=True)
        await uow.commit()


async def record_certificate(event: CertificateIssued | CertificateChanged, uow: UnitOfWork) -> None:
    """发证 or a new version of a certificate (变更, 补发)."""
    level = event.level if isinstance(event, CertificateIssued) else ""
    regime = event.regime if isinstance(event, CertificateIssued) else "2021"
    async with uow:
        await replicas.record_certificate(
            uow.conn,
            number=event.number,
            certificate_id=event.certificate_id,
            unit_id=event.unit_id,
            credit_code=event.credit_code,
            certificate_type=event.certificate_type,
            level=level,
            regime=regime,
            categories=[
                {"category": c.category, "level": c.level, "sub_items": list(c.sub_items)} for c in event.categories
            ],
            valid_until=event.valid_until,
            certificate_version=event.certificate_version,
        )
        await uow.commit()


async def record_certificate_end(
    event: CertificateReplaced | CertificateCancelled | CertificateExpired, uow: UnitOfWork
) -> None:
    """已换证 / 已注销 / 已过期: the certificate no longer counts as held."""
    status = {CertificateReplaced: "replaced", CertificateCancelled: "cancelled", CertificateExpired: "expired"}[
        type(event)
    ]
    certificate_type = getattr(event, "certificate_type", "")
    async with uow:
        await replicas.set_certificate_status(
            uow.conn,
            number=event.number,
            certificate_id=event.certificate_id,
            unit_id=event.unit_id,
            credit_code=event.credit_code,
            certificate_type=certificate_type,
            status=status,
        )
        await uow.commit()


async def record_approved_particulars(event: ApplicationApproved, uow: UnitOfWork) -> None:
    """批准 of 新单位注册 or 基本信息变更: the unit is verified with the approved particulars."""
    if event.application_type not in _PARTICULAR_TYPES or event.unit is None:
        return
    unit = event.unit
    name = event.changes.get("unit_name", unit.unit_name)
    address = event.changes.get("registered_address", unit.registered_address)
    legal = event.changes.get("legal_representative", unit.legal_representative)
    async with uow:
        await replicas.record_unit(uow.conn, event.unit_id, name, unit.credit_code, verified=True)
        await replicas.record_particulars(uow.conn, event.unit_id, name, address, legal)
        await uow.commit()
