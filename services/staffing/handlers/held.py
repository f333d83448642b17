"""The certificates each unit holds, kept current from the registry's events (发证, 变更, 补发,
注销, 换证, 过期, 关联单位): what 满足情况 counts as held (乙级满2年). A unit verified by identity
(``replicas.record_unit``) also holds those of its credit code not linked to it yet."""

from __future__ import annotations

from contracts.registry.events import (
    CertificateCancelled,
    CertificateChanged,
    CertificateExpired,
    CertificateIssued,
    CertificateLinked,
    CertificateReplaced,
)
from services.kernel import UnitOfWork

from ..repository.held import HeldCertificates

__all__ = ["end_certificate", "link_certificate", "record_certificate"]


async def record_certificate(event: CertificateIssued | CertificateChanged, uow: UnitOfWork) -> None:
    """发证 (a 2021 certificate or one loaded from the old regime) or a new version (基本信息变更,
    专业范围变更, 补发): its categories, each held from the version that first carried it."""
    regime = event.regime if isinstance(event, CertificateIssued) else "2021"
    async with uow:
        await HeldCertificates(uow.conn).record(
            number=event.number,
            credit_code=event.credit_code,
            unit_id=event.unit_id,
            regime=regime,
            categories=event.categories,
            valid_until=event.valid_until,
            version=event.certificate_version,
            on=event.issued_on,
        )
        await uow.commit()


async def end_certificate(
    event: CertificateCancelled | CertificateReplaced | CertificateExpired, uow: UnitOfWork
) -> None:
    """已注销, 已换证, 已过期: the certificate no longer counts as held."""
    on = (
        event.cancelled_on
        if isinstance(event, CertificateCancelled)
        else event.replaced_on
        if isinstance(event, CertificateReplaced)
        else event.expired_on
    )
    async with uow:
        await HeldCertificates(uow.conn).end(
            number=event.number,
            credit_code=event.credit_code,
            unit_id=event.unit_id,
            on=on,
            replaced_by=event.replaced_by if isinstance(event, CertificateReplaced) else None,
        )
        await uow.commit()


async def link_certificate(event: CertificateLinked, uow: UnitOfWork) -> None:
    """关联单位: an old-regime certificate loaded without a unit is the unit's."""
    async with uow:
        await HeldCertificates(uow.conn).link(number=event.number, unit_id=event.unit_id)
        await uow.commit()
