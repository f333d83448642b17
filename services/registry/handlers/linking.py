"""关联单位: an old-regime certificate is loaded with the holder's credit code only (the unit may
not have registered yet). When identity verifies a unit (UnitVerified: 新单位注册 approved), the
certificates of its credit code without a unit become the unit's, each announced by
CertificateLinked for the services that key on the unit id; a later load links at once."""

from __future__ import annotations

from contracts.identity.events import UnitVerified
from contracts.registry.events import CertificateLinked
from services.kernel import UnitOfWork

from ..repository.legacy import LegacyCertificates

__all__ = ["link_verified_unit"]


async def link_verified_unit(event: UnitVerified, uow: UnitOfWork) -> None:
    """The consumer of UnitVerified (a redelivery links nothing twice: linked rows have a unit)."""
    async with uow:
        certificates = LegacyCertificates(uow.conn)
        await certificates.lock()  # not while a load is between reading the verified units and its COPY
        for certificate_id, number in await certificates.verify_and_link(event.unit_id, event.credit_code):
            uow.emit(
                CertificateLinked(
                    aggregate_id=number,
                    certificate_id=certificate_id,
                    number=number,
                    unit_id=event.unit_id,
                    credit_code=event.credit_code,
                )
            )
        await uow.commit()
