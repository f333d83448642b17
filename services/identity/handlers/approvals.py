"""批准 seen from identity: an approved 新单位注册 verifies the unit, an approved 基本信息变更 changes it."""

from __future__ import annotations

import dataclasses
import logging

from contracts.applications.events import ApplicationApproved
from contracts.identity.events import UnitVerified
from services.kernel import UnitOfWork

from .. import model, repository

__all__ = ["apply_approval"]

logger = logging.getLogger(__name__)


async def apply_approval(event: ApplicationApproved, uow: UnitOfWork) -> None:
    """Set the unit's 单位名称, 注册地址 and 法定代表人 as approved and emit UnitVerified.

    The inbox makes a redelivery a no-op; a unit identity does not know changes nothing. A new name
    another unit already holds (the unique name key) is not applied: the rest is, and it is logged.
    """
    change = model.particulars_change(event)
    if change is None:
        return
    async with uow:
        units = repository.Units(uow.conn)
        if change.name_key and await units.name_taken(change.name_key, by_other_than=change.unit_id):
            logger.warning("approval %s: unit name %r is another unit's; name kept", event.application_id, change.name)
            change = dataclasses.replace(change, name=None)
        row = await units.apply(change)
        if row is None:
            logger.warning("approval %s names unit %s, unknown to identity", event.application_id, event.unit_id)
            return
        unit_id = str(change.unit_id)
        uow.emit(
            UnitVerified(
                aggregate_id=unit_id,
                unit_id=unit_id,
                unit_name=row["name"],
                credit_code=row["credit_code"],
                application_id=event.application_id,
            )
        )
        await uow.commit()
