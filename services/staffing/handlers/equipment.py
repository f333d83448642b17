"""技术装备 use cases (manual 5.6): 添加, 编辑, 删除, one instrument for the edit form, and the list.

An instrument may be saved before its documents exist; it is incomplete, listed with every
reason, and not counted until they are attached and its 检定/校准 is valid on the day (5.6.3).
The 设备类型 must be one of the standard in force. Attached documents are verified before the
writing unit of work opens. EquipmentAdded / EquipmentUpdated / EquipmentRemoved are emitted.
"""

from __future__ import annotations

import uuid

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import ServiceClient, UnitOfWork

from .. import clock, errors
from ..model import completeness
from ..model.equipment import Equipment, new_equipment
from ..repository.attachments import Attachments
from ..repository.equipment import EquipmentRepository
from .attachments import verified
from .entries import attach, now, page_of, parse_id, unit_of
from .vocabulary import Vocabulary

__all__ = ["add_equipment", "get_equipment", "list_equipment", "remove_equipment", "update_equipment"]

_NOT_FOUND = errors.EquipmentNotFoundError


async def add_equipment(
    data: api.EquipmentCreate,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    vocabulary: Vocabulary,
    caller_token: str,
) -> api.Equipment:
    """添加: refused with 409 when the instrument is on a roster already, naming the holding unit."""
    unit_id, on = unit_of(caller, _NOT_FOUND), clock.today()
    terms = await vocabulary.terms(services)
    equipment = new_equipment(data, unit_id=unit_id, types=terms.equipment_types, on=on, now=now())
    documents = await _verified(data, unit_id, uow, services, caller_token)
    async with uow:
        await EquipmentRepository(uow.conn).add(equipment)
        attached = await attach(uow, equipment.id, documents, new=True)
        uow.emit(equipment.added())
        await uow.commit()
    return equipment.as_api(attached, on=on)


async def update_equipment(
    equipment_id: str,
    data: api.EquipmentCreate,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    vocabulary: Vocabulary,
    caller_token: str,
) -> api.Equipment:
    """编辑: the whole form again; its documents replace the ones attached before."""
    unit_id, on = unit_of(caller, _NOT_FOUND), clock.today()
    current = await _current(equipment_id, unit_id, uow)
    terms = await vocabulary.terms(services)
    edited = new_equipment(data, unit_id=unit_id, types=terms.equipment_types, on=on, now=now(), replacing=current)
    documents = await _verified(data, unit_id, uow, services, caller_token)
    async with uow:
        await _store(EquipmentRepository(uow.conn), edited)
        attached = await attach(uow, edited.id, documents)
        uow.emit(edited.updated())
        await uow.commit()
    return edited.as_api(attached, on=on)


async def remove_equipment(equipment_id: str, caller: Caller, uow: UnitOfWork) -> None:
    """删除: the instrument leaves the unit's roster (another unit may then add it)."""
    unit_id, wanted = unit_of(caller, _NOT_FOUND), parse_id(equipment_id, _NOT_FOUND)
    async with uow:
        removed = await EquipmentRepository(uow.conn).remove(wanted, unit_id)
        if removed is None:
            raise _NOT_FOUND()
        await Attachments(uow.conn).clear([removed.id])
        uow.emit(removed.removed())
        await uow.commit()


async def get_equipment(equipment_id: str, caller: Caller, uow: UnitOfWork) -> api.Equipment:
    """One instrument of the caller's unit, with its completeness today."""
    unit_id, wanted = unit_of(caller, _NOT_FOUND), parse_id(equipment_id, _NOT_FOUND)
    async with uow.reading() as conn:
        equipment = await EquipmentRepository(conn).get(wanted, unit_id)
        if equipment is None:
            raise _NOT_FOUND()
        attached = (await Attachments(conn).of([equipment.id])).get(equipment.id, [])
    return equipment.as_api(attached, on=clock.today())


async def list_equipment(
    caller: Caller,
    uow: UnitOfWork,
    *,
    equipment_type: str | None,
    complete: bool | None,
    page: int,
    page_size: int,
) -> api.EquipmentPage:
    """The unit's instruments in the order added; ``counted``: all its instruments complete today."""
    unit_id, on = unit_of(caller, _NOT_FOUND), clock.today()
    async with uow.reading() as conn:
        found = await EquipmentRepository(conn).of_unit(unit_id)
    everything = [e.as_api(attached, on=on) for e, attached in found]
    wanted = [
        e
        for e in everything
        if (equipment_type is None or e.type == equipment_type) and (complete is None or e.complete == complete)
    ]
    return api.EquipmentPage(
        items=page_of(wanted, page=page, page_size=page_size),
        page=page,
        page_size=page_size,
        total=len(wanted),
        counted=sum(e.complete for e in everything),
    )


async def _current(equipment_id: str, unit_id: str, uow: UnitOfWork) -> Equipment:
    """The unit's instrument of the path, or 404 (also for another unit's)."""
    wanted = parse_id(equipment_id, _NOT_FOUND)
    async with uow.reading() as conn:
        current = await EquipmentRepository(conn).get(wanted, unit_id)
    if current is None:
        raise _NOT_FOUND()
    return current


async def _store(repository: EquipmentRepository, edited: Equipment) -> None:
    """Write an edit under the row's lock: a changed (设备类型, 出厂编号) may be held elsewhere."""
    locked = await repository.get(edited.id, edited.unit_id, lock=True)
    if locked is None or not await repository.update(edited, key_changed=locked.key != edited.key):
        raise _NOT_FOUND()


async def _verified(
    data: api.EquipmentCreate, unit_id: str, uow: UnitOfWork, services: ServiceClient, token: str
) -> list[tuple[str, uuid.UUID]]:
    return await verified(
        data.documents,
        unit_id=unit_id,
        allowed=completeness.EQUIPMENT_PURPOSES,
        what="技术装备",
        uow=uow,
        services=services,
        token=token,
    )
