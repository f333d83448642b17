"""Changes of a certificate in the register on approval: 基本信息变更 (换发), 专业范围变更,
补领证书 (补发, the previous copy void) and 资质注销 (已注销 with date and reason)."""

from __future__ import annotations

import dataclasses
import logging

from contracts.applications.events import ApplicationApproved
from contracts.registry.events import CertificateCancelled, CertificateChanged
from services.kernel import UnitOfWork

from ..repository.certificates import Certificates, StoredCertificate
from .issuing import categories_of

__all__ = ["CHANGES", "apply_change", "find_target"]

logger = logging.getLogger(__name__)
CHANGES = frozenset({"基本信息变更", "专业范围变更", "补领证书", "资质注销"})
_KIND = {"基本信息变更": "换发", "专业范围变更": "专业范围变更", "补领证书": "补发"}
_PARTICULARS = ("unit_name", "registered_address", "legal_representative")


async def find_target(event: ApplicationApproved, uow: UnitOfWork) -> StoredCertificate | None:
    """The certificate the change concerns (named by number, else the unit's valid one of the type)."""
    certificates = Certificates(uow.conn)
    if event.certificate_number:
        return await certificates.by_number(event.certificate_number)
    return await certificates.valid_of_unit(event.unit_id, event.certificate_type)


async def apply_change(event: ApplicationApproved, cert: StoredCertificate, uow: UnitOfWork) -> None:
    """Apply the approved change to ``cert``; a certificate no longer valid is left as it is."""
    if cert.status != "有效":
        logger.warning("approval %s changes %s, which is %s: ignored", event.application_id, cert.number, cert.status)
        return
    if event.application_type == "资质注销":
        await _cancel(event, cert, uow)
        return
    changed = _changed(event, cert)
    await Certificates(uow.conn).new_version(
        changed, kind=_KIND[event.application_type], application_id=event.application_id
    )
    uow.emit(
        CertificateChanged(
            aggregate_id=changed.number,
            certificate_id=str(changed.id),
            number=changed.number,
            unit_id=changed.unit_id,
            credit_code=changed.credit_code,
            certificate_type=changed.certificate_type,
            change=event.application_type,  # type: ignore[arg-type]  # one of CHANGES but 资质注销
            categories=changed.categories,
            issued_on=changed.issued_on,
            valid_until=changed.valid_until,
            application_id=event.application_id,
            certificate_version=changed.current_version,
        )
    )


def _changed(event: ApplicationApproved, cert: StoredCertificate) -> StoredCertificate:
    """The next version: same number and validity, the approval's date; new particulars (基本信息变更)
    or categories (专业范围变更); a 补发 copy prints what the current version prints."""
    particulars = cert.particulars
    if event.application_type == "基本信息变更":
        changes = {key: value for key, value in event.changes.items() if key in _PARTICULARS and value}
        particulars = dataclasses.replace(particulars, **changes)
    if event.authority_name:
        particulars = dataclasses.replace(particulars, authority_name=event.authority_name)
    categories = categories_of(event) if event.application_type == "专业范围变更" else cert.categories
    return dataclasses.replace(
        cert,
        particulars=particulars,
        categories=categories,
        issued_on=event.approved_on,
        current_version=cert.current_version + 1,
    )


async def _cancel(event: ApplicationApproved, cert: StoredCertificate, uow: UnitOfWork) -> None:
    reason = event.reason or ""
    await Certificates(uow.conn).set_status(cert.id, "已注销", cancelled_on=event.approved_on, reason=reason)
    uow.emit(
        CertificateCancelled(
            aggregate_id=cert.number,
            certificate_id=str(cert.id),
            number=cert.number,
            unit_id=cert.unit_id,
            credit_code=cert.credit_code,
            certificate_type=cert.certificate_type,
            cancelled_on=event.approved_on,
            reason=reason,
            application_id=event.application_id,
        )
    )
