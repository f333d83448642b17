"""The effects of ApplicationApproved (批准) on the register, each applied once.

资质申请 and 复审换证 issue; 基本信息变更, 专业范围变更, 补领证书 and 资质注销 change the certificate
they name; 补充和修改数据 and 新单位注册 change nothing. A change for a certificate not yet in the
register is parked (pending_changes) and replayed in the transaction that issues (or, for a
legacy one, by the replay job once it is loaded), so a change never overtakes its issue.
"""

from __future__ import annotations

import logging

import msgspec

from contracts.applications.events import ApplicationApproved
from services.kernel import UnitOfWork

from ..repository.approvals import AppliedApprovals, PendingChanges
from ..repository.certificates import StoredCertificate
from .changes import CHANGES, apply_change, find_target
from .issuing import issue

__all__ = ["apply_approval", "replay_ready"]

logger = logging.getLogger(__name__)
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ApplicationApproved)
ISSUING = frozenset({"资质申请", "复审换证"})


async def apply_approval(event: ApplicationApproved, uow: UnitOfWork) -> None:
    """The consumer of ApplicationApproved: one transaction, no second effect on redelivery."""
    async with uow:
        await _apply(event, uow)
        await uow.commit()


async def replay_ready(uow: UnitOfWork) -> int:
    """The job: apply parked changes whose certificate has since been loaded; how many."""
    async with uow:
        parked = await PendingChanges(uow.conn).take_ready()
        for payload in parked:
            await _apply(_decoder.decode(payload), uow)
        await uow.commit()
    return len(parked)


async def _apply(event: ApplicationApproved, uow: UnitOfWork) -> None:
    approvals = AppliedApprovals(uow.conn)
    if not await approvals.claim(event.application_id):
        logger.info("approval %s was applied before: no second effect", event.application_id)
        return
    if event.application_type in ISSUING:
        await _replay_waiting(await issue(event, uow), uow)
    elif event.application_type in CHANGES:
        target = await find_target(event, uow)
        if target is None:
            await approvals.forget(event.application_id)
            await _park(event, uow)
        else:
            await apply_change(event, target, uow)


async def _park(event: ApplicationApproved, uow: UnitOfWork) -> None:
    logger.info("approval %s waits for certificate %s", event.application_id, event.certificate_number)
    await PendingChanges(uow.conn).park(
        event.application_id,
        number=event.certificate_number,
        unit_id=event.unit_id,
        certificate_type=event.certificate_type,
        event=_encoder.encode(event),
    )


async def _replay_waiting(cert: StoredCertificate, uow: UnitOfWork) -> None:
    waiting = await PendingChanges(uow.conn).take_for(
        cert.number, unit_id=cert.unit_id, certificate_type=cert.certificate_type
    )
    for payload in waiting:
        await _apply(_decoder.decode(payload), uow)
