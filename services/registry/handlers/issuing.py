"""发证: a certificate issued on the approval of 资质申请 or 复审换证, its number taken from the
locked counter; 复审换证 marks the unit's old-regime certificate 已换证."""

from __future__ import annotations

import logging
import uuid

from contracts.applications.events import ApplicationApproved
from contracts.registry.events import CertificateIssued, CertificateReplaced, CertifiedCategory
from services.kernel import UnitOfWork

from .. import model
from ..errors import ApprovalNotApplicableError
from ..repository.certificates import Certificates, NumberCounters, Particulars, StoredCertificate

__all__ = ["categories_of", "issue", "issued_event"]

logger = logging.getLogger(__name__)


def categories_of(event: ApplicationApproved) -> list[CertifiedCategory]:
    return [CertifiedCategory(category=x.category, level=x.level, sub_items=list(x.sub_items)) for x in event.levels]


async def issue(event: ApplicationApproved, uow: UnitOfWork) -> StoredCertificate:
    """A new certificate, numbered in this transaction (the counter row stays locked until commit)."""
    if event.unit is None or event.certificate_type not in model.LEVEL_OF_TYPE:
        raise ApprovalNotApplicableError(f"approval {event.application_id} cannot be issued: no unit or bad type")
    prefix = model.number_prefix(event.certificate_type)
    province = model.province_of(event.jurisdiction)
    sequence = await NumberCounters(uow.conn).take(prefix, province)
    unit = event.unit
    cert = StoredCertificate(
        id=uuid.uuid4(),
        number=model.format_number(prefix, province, sequence),
        certificate_type=event.certificate_type,
        level=model.level_of(event.certificate_type),
        regime="2021",
        unit_id=event.unit_id,
        credit_code=unit.credit_code,
        particulars=Particulars(
            unit.unit_name, unit.registered_address, unit.legal_representative, event.authority_name or ""
        ),
        issuing_jurisdiction=event.jurisdiction,
        categories=categories_of(event),
        issued_on=event.approved_on,
        valid_until=model.valid_until(event.approved_on),
        status="有效",
        current_version=1,
    )
    await Certificates(uow.conn).add(cert, kind="发证", application_id=event.application_id)
    uow.emit(issued_event(cert, application_id=event.application_id))
    if event.application_type == "复审换证" and event.certificate_number:
        await _replace(event.certificate_number, cert, uow=uow, application_id=event.application_id)
    return cert


def issued_event(cert: StoredCertificate, *, application_id: str | None) -> CertificateIssued:
    return CertificateIssued(
        aggregate_id=cert.number,
        certificate_id=str(cert.id),
        number=cert.number,
        unit_id=cert.unit_id,
        credit_code=cert.credit_code,
        certificate_type=cert.certificate_type,
        level=cert.level,
        regime="legacy" if cert.regime == "legacy" else "2021",
        categories=cert.categories,
        issuing_jurisdiction=cert.issuing_jurisdiction,
        issued_on=cert.issued_on,
        valid_until=cert.valid_until,
        application_id=application_id,
        certificate_version=cert.current_version,
    )


async def _replace(old_number: str, new: StoredCertificate, *, uow: UnitOfWork, application_id: str) -> None:
    """The old certificate becomes 已换证, replaced by ``new``: if it is the unit's (same 统一社会信用代码)
    and neither cancelled nor replaced already; an old-regime certificate may well have expired (the
    2014 certificates ran out on 2021-12-31) and is still replaced."""
    certificates = Certificates(uow.conn)
    old = await certificates.by_number(old_number)
    if old is None or old.status not in ("有效", "已过期") or old.credit_code != new.credit_code:
        logger.warning("复审换证 %s names %s, not a certificate of the unit to replace", application_id, old_number)
        return
    await certificates.set_status(old.id, "已换证", replaced_by=new.number)
    uow.emit(
        CertificateReplaced(
            aggregate_id=old.number,
            certificate_id=str(old.id),
            number=old.number,
            unit_id=old.unit_id or new.unit_id,
            credit_code=old.credit_code,
            replaced_by=new.number,
            replaced_on=new.issued_on,
            application_id=application_id,
        )
    )
