"""协调 (manual 5.5.4, 5.6.2): an authority releases a person or an instrument from the unit holding
it, so another unit may register it; the release is recorded and the holding unit sees it."""

from __future__ import annotations

from contracts.auth import Caller
from contracts.staffing import api
from contracts.staffing.events import EquipmentReleased, PersonReleased
from services.kernel import UnitOfWork, may_act_in
from services.kernel.jurisdiction import NATIONAL, division_prefix, is_division_code

from .. import errors
from ..clock import today
from ..protection import Protector
from ..repository.releases import Holding, Releases, StoredRelease
from ..rules import DocumentType, IdNumber, normalise_serial, read_id_number

__all__ = ["list_releases", "release"]


async def release(request: api.ReleaseRequest, caller: Caller, *, uow: UnitOfWork, protector: Protector) -> api.Release:
    """Refused when nobody holds it (404) or the holder is outside the caller's jurisdiction (403)."""
    if request.kind == "person":
        return await _release_person(request, caller, uow=uow, protector=protector)
    return await _release_instrument(request, caller, uow=uow)


async def list_releases(caller: Caller, *, uow: UnitOfWork, page: int, page_size: int) -> api.ReleasePage:
    """A unit: the releases from its roster; an authority: those from units it covers; newest first."""
    found: list[StoredRelease] = []
    total = 0
    async with uow.reading() as conn:
        releases = Releases(conn)
        if caller.role == "unit" and caller.unit_id:
            found, total = await releases.of_unit(caller.unit_id, page=page, page_size=page_size)
        elif caller.role in ("authority", "admin") and is_division_code(caller.jurisdiction):
            prefix = division_prefix(caller.jurisdiction or "")
            found, total = await releases.within(prefix, page=page, page_size=page_size)
    return api.ReleasePage(items=[_view(item) for item in found], page=page, page_size=page_size, total=total)


async def _release_person(
    request: api.ReleaseRequest, caller: Caller, *, uow: UnitOfWork, protector: Protector
) -> api.Release:
    number = _id_number(request)
    key = protector.identity(request.id_type, number.number)
    async with uow:
        releases = Releases(uow.conn)
        holding = _releasable(await releases.person_holding(key), caller, what="人员")
        stored = await releases.release(holding, kind="person", reason=request.reason, released_by=_who(caller))
        uow.emit(
            PersonReleased(
                aggregate_id=str(holding.entry_id),
                unit_id=holding.unit_id,
                person_id=str(holding.entry_id),
                person_key=key.hex(),
                release_id=str(stored.id),
                jurisdiction=holding.jurisdiction,
            )
        )
        await uow.commit()
    return _view(stored)


async def _release_instrument(request: api.ReleaseRequest, caller: Caller, *, uow: UnitOfWork) -> api.Release:
    if not request.equipment_type:
        raise errors.MissingFieldError("equipment_type", "设备类型")
    if not request.serial or not normalise_serial(request.serial):
        raise errors.MissingFieldError("serial", "出厂编号")
    async with uow:
        releases = Releases(uow.conn)
        found = await releases.instrument_holding(request.equipment_type, normalise_serial(request.serial))
        holding = _releasable(found, caller, what="技术装备")
        stored = await releases.release(holding, kind="equipment", reason=request.reason, released_by=_who(caller))
        uow.emit(
            EquipmentReleased(
                aggregate_id=str(holding.entry_id),
                unit_id=holding.unit_id,
                equipment_id=str(holding.entry_id),
                equipment_type=request.equipment_type,
                release_id=str(stored.id),
                jurisdiction=holding.jurisdiction,
            )
        )
        await uow.commit()
    return _view(stored)


def _id_number(request: api.ReleaseRequest) -> IdNumber:
    if request.id_number is None:
        raise errors.MissingFieldError("id_number", "证件号码")
    document_type = DocumentType(request.id_type)
    read = read_id_number(document_type, request.id_number, on=today())
    if not isinstance(read, IdNumber):
        raise errors.InvalidIdNumberError(document_type, read)
    return read


def _releasable(holding: Holding | None, caller: Caller, *, what: str) -> Holding:
    if holding is None:
        raise errors.NotRegisteredError(what)
    national = caller.role in ("authority", "admin") and caller.jurisdiction == NATIONAL
    if not (may_act_in(caller, holding.jurisdiction) or national):  # 自然资源部: any unit, known or not
        raise errors.OutsideJurisdictionError()
    return holding


def _who(caller: Caller) -> str:
    return caller.username or caller.account_id


def _view(stored: StoredRelease) -> api.Release:
    return api.Release(
        id=str(stored.id),
        kind=stored.kind,
        unit_id=stored.unit_id,
        unit_name=stored.unit_name,
        subject=stored.subject,
        reason=stored.reason,
        released_by=stored.released_by,
        jurisdiction=stored.jurisdiction,
        created_at=stored.created_at,
    )
