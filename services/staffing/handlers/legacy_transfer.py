"""人员基本信息转移 (manual 5.5.1): the 老人老办法 persons a unit ticked become persons of its roster.

Only the caller unit's legacy persons (by its 统一社会信用代码, from the units replica) not yet
transferred are taken. Each becomes a person of source 老人老办法 with no documents (incomplete
until they are attached), its sealed number reused as loaded (same keys, same purpose). A person
already on a roster is refused by the conflict rule and named; the rest are transferred, in one
transaction, and each emits PersonAdded.
"""

from __future__ import annotations

import uuid

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import UnitOfWork

from .. import errors
from ..repository.persons import LegacyPerson, LegacyPersons, Persons
from .entries import uuid_of
from .persons import added, as_api, unit_of

__all__ = ["NOT_FOUND_CODE", "NOT_FOUND_MESSAGE", "transfer_legacy_persons"]

NOT_FOUND_CODE = "staffing.legacy_person_not_found"
NOT_FOUND_MESSAGE = "未找到该人员，或已转移"
_CONFLICTS = (errors.PersonHeldByOtherUnitError, errors.PersonAlreadyListedError)


async def transfer_legacy_persons(
    data: api.LegacyTransferRequest, caller: Caller, uow: UnitOfWork
) -> api.LegacyTransferResult:
    """The ticked persons transferred, and the ones refused with the reason (by name)."""
    unit_id = unit_of(caller)
    ticked_ids = {raw: uuid_of(raw) for raw in dict.fromkeys(data.ids)}
    transferred: list[api.Person] = []
    refused: list[api.TransferConflict] = []
    done: list[uuid.UUID] = []
    async with uow:
        legacy = LegacyPersons(uow.conn)
        found = await legacy.ticked([i for i in ticked_ids.values() if i is not None], unit_id)
        for raw, legacy_id in ticked_ids.items():
            row = found.get(legacy_id) if legacy_id is not None else None
            if row is None:
                refused.append(_refused(raw, "", NOT_FOUND_CODE, NOT_FOUND_MESSAGE))
                continue
            try:
                transferred.append(await _transfer(row, unit_id, uow))
            except _CONFLICTS as refusal:
                refused.append(_refused(raw, row.person.name, refusal.code, refusal.message))
                continue
            done.append(row.id)
        await legacy.mark_transferred(done)
        await uow.commit()
    return api.LegacyTransferResult(transferred=transferred, refused=refused)


async def _transfer(row: LegacyPerson, unit_id: str, uow: UnitOfWork) -> api.Person:
    """The legacy person as a new person of the unit, with no documents yet."""
    stored = await Persons(uow.conn).add(uuid.uuid4(), unit_id, row.person, row.number)
    uow.emit(added(stored))
    return as_api(stored, [])


def _refused(legacy_id: str, name: str, code: str, message: str) -> api.TransferConflict:
    return api.TransferConflict(id=legacy_id, name=name, code=code, message=message)
