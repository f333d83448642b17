"""新建工作, 工作列表, 查看 and 删除 (manual 4.1): the work itself; its pages are in ``pages``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from contracts.applications import api
from contracts.applications.events import ApplicationCreated, ApplicationDeleted
from contracts.auth import Caller
from services.kernel import UnitOfWork, province_of_credit_code
from services.kernel.db import Connection
from services.kernel.jurisdiction import NATIONAL

from .. import clock, errors
from ..model import deadlines, eligibility
from ..model.calendar import WorkingCalendar, missing_years_warning
from ..model.completeness import context_of, page_status
from ..model.provinces import PROVINCES
from ..model.record import province_of_address
from ..model.types import APPLICATION_TYPES, CERTIFICATE_TYPES, NAVIGATION
from ..model.work import UnitRecord, Work
from ..repository import replicas, works
from .access import owned_work, readable_work, unit_of
from .calendar import calendar_near

__all__ = [
    "create_work",
    "delete_work",
    "get_work",
    "jurisdiction_for",
    "list_works",
    "summary",
    "type_options",
    "view",
]

_IN_PROGRESS_INDEX = "applications_one_in_progress"


def jurisdiction_for(certificate_type: str, credit_code: str, registered_address: object = None) -> str:
    """导航电子地图制作甲级 → 自然资源部; else the 注册地址's province, else the credit code's."""
    if certificate_type == NAVIGATION:
        return NATIONAL
    province = province_of_address(registered_address)
    if province is not None:
        return province
    try:
        code = province_of_credit_code(credit_code)
    except ValueError:
        return NATIONAL
    return code if code in PROVINCES else NATIONAL


def summary(work: Work, calendar: WorkingCalendar | None = None, today: dt.date | None = None) -> api.WorkSummary:
    """A 工作列表 row; with the calendar, the time left on its deadline."""
    return api.WorkSummary(**_head(work), **_time_left(work, calendar, today))


def _time_left(work: Work, calendar: WorkingCalendar | None, today: dt.date | None) -> dict[str, Any]:
    if work.deadline is None or calendar is None or today is None:
        return {"deadline": work.deadline}
    left = deadlines.time_left(calendar, work.deadline, today)
    return {"deadline": work.deadline, "working_days_left": left.working_days, "overdue": left.overdue}


async def _calendar_for(conn: Connection, found: list[Work], today: dt.date) -> WorkingCalendar | None:
    """The calendar, read only when a work has a deadline to count (most lists have none)."""
    return await calendar_near(conn, today) if any(w.deadline for w in found) else None


def _head(work: Work) -> dict[str, Any]:
    return {
        "id": work.id,
        "application_type": work.application_type,
        "certificate_type": work.certificate_type,
        "state": work.state,
        "state_label": api.STATE_LABELS[work.state],
        "version": work.version,
        "revision": work.revision,
        "jurisdiction": work.jurisdiction,
        "unit_id": work.unit_id,
        "unit_name": work.unit_name,
        "credit_code": work.credit_code,
        "created_at": work.created_at,
        "submitted_at": work.submitted_at,
        "certificate_number": work.certificate_number,
        "editable": work.editable,
        "deletable": work.state == "draft" and work.revision < 0,
        "return_notice": _return_notice(work),
    }


def _return_notice(work: Work) -> api.ReturnNotice | None:
    entry = work.returned_by if work.state == "returned" else None
    if entry is None or entry.recorded_at is None:
        return None
    titles = {laid.spec.key: laid.spec.title for laid in work.laid_pages()}
    return api.ReturnNotice(
        notice=entry.notice,
        reasons=list(entry.reasons),
        opinion=entry.opinion,
        pages=[titles[key] for key in entry.pages if key in titles],
        authority_name=entry.authority_name,
        returned_at=entry.recorded_at,
    )


def view(work: Work, calendar: WorkingCalendar | None = None, today: dt.date | None = None) -> api.Work:
    """The work with its page switcher, its deadlines and the time left on the current one (with
    the calendar's warning when the count ran into a year whose 放假安排 is not loaded)."""
    ctx = context_of(work)
    pages = [
        api.PageStatus(
            key=laid.spec.key,
            title=laid.spec.title,
            status=page_status(work, laid.spec, ctx),  # type: ignore[arg-type]
            returned=work.page_returned(laid.spec.key),
        )
        for laid in work.laid_pages()
    ]
    left = _time_left(work, calendar, today)
    warning = missing_years_warning(calendar.missing) if calendar is not None else None
    return api.Work(
        **_head(work),
        **left,
        pages=pages,
        accept_due=work.accept_due,
        decision_due=work.decision_due,
        deemed_accepted_on=work.accepted_on if work.deemed else None,
        warnings=[warning] if warning else [],
    )


async def _standing(conn: Connection, unit_id: str, credit_code: str) -> eligibility.Standing:
    registered = await replicas.registration_approved(conn, unit_id)
    held = await replicas.held_certificates(conn, unit_id, credit_code)
    return eligibility.Standing(registered=registered, held=held)


async def _unit(conn: Connection, caller: Caller) -> UnitRecord:
    unit_id = unit_of(caller)
    if unit_id is None:
        raise errors.UnitIdInvalidError()
    unit = await replicas.unit(conn, unit_id)
    if unit is None:
        raise errors.UnitNotKnownError()
    return unit


async def type_options(caller: Caller, uow: UnitOfWork) -> api.ApplicationTypeOptions:
    """The 新建工作 dialog: every 工作类型 × 证书类型 with allowed and the reason when not."""
    async with uow.reading() as conn:
        unit = await _unit(conn, caller)
        standing = await _standing(conn, unit.unit_id, unit.credit_code)
    items = [
        api.ApplicationTypeOption(application_type=a, certificate_type=c, allowed=reason is None, reason=reason)
        for a, c, reason in eligibility.matrix(standing)
    ]
    return api.ApplicationTypeOptions(
        application_types=list(APPLICATION_TYPES), certificate_types=list(CERTIFICATE_TYPES), items=items
    )


async def list_works(caller: Caller, uow: UnitOfWork, *, page: int, page_size: int) -> api.WorkList:
    unit_id = unit_of(caller)
    if unit_id is None:
        return api.WorkList(items=[], total=0, page=page, page_size=page_size)
    today = clock.today()
    async with uow.reading() as conn:
        found, total = await works.list_of_unit(conn, unit_id, page=page, page_size=page_size)
        calendar = await _calendar_for(conn, found, today)
    items = [summary(w, calendar, today) for w in found]
    return api.WorkList(items=items, total=total, page=page, page_size=page_size)


async def create_work(data: api.CreateWork, caller: Caller, uow: UnitOfWork) -> api.Work:
    """确定 in 新建工作: eligibility from the replicas, one work in progress from the index."""
    async with uow:
        unit = await _unit(uow.conn, caller)
        standing = await _standing(uow.conn, unit.unit_id, unit.credit_code)
        reason = eligibility.refusal(data.application_type, data.certificate_type, standing)
        if reason is not None:
            raise errors.NotEligibleError(reason)
        new = works.NewWork(
            id=str(uuid.uuid4()),
            unit_id=unit.unit_id,
            credit_code=unit.credit_code,
            unit_name=unit.unit_name,
            application_type=data.application_type,
            certificate_type=data.certificate_type,
            jurisdiction=jurisdiction_for(data.certificate_type, unit.credit_code, unit.registered_address),
            certificate_number=eligibility.concerned(data.application_type, data.certificate_type, standing),
            created_at=clock.now(),
        )
        await _insert(uow, new)
        uow.emit(_created(new))
        work = await works.load(uow.conn, new.id)
        await uow.commit()
    assert work is not None
    return view(work)


async def _insert(uow: UnitOfWork, new: works.NewWork) -> None:
    try:
        await works.insert(uow.conn, new)
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == _IN_PROGRESS_INDEX:
            raise errors.WorkInProgressError() from exc
        raise


def _created(new: works.NewWork) -> ApplicationCreated:
    return ApplicationCreated(
        aggregate_id=new.id,
        application_id=new.id,
        unit_id=new.unit_id,
        application_type=new.application_type,
        certificate_type=new.certificate_type,
        jurisdiction=new.jurisdiction,
    )


async def get_work(application_id: str, caller: Caller, uow: UnitOfWork) -> api.Work:
    today = clock.today()
    async with uow.reading() as conn:
        work = await readable_work(conn, application_id, caller)
        calendar = await _calendar_for(conn, [work], today)
    return view(work, calendar, today)


async def delete_work(application_id: str, caller: Caller, uow: UnitOfWork, *, version: int | None) -> None:
    """删除: only a draft never submitted; at ``version`` when the caller names one."""
    async with uow:
        work = await owned_work(uow.conn, application_id, caller, lock=True)
        if work.state != "draft" or work.revision >= 0:
            raise errors.NotDeletableError()
        if version is not None and version != work.version:
            raise errors.StaleVersionError()
        await works.delete_draft(uow.conn, work.id, work.unit_id, work.version)
        uow.emit(ApplicationDeleted(aggregate_id=work.id, application_id=work.id, unit_id=work.unit_id))
        await uow.commit()
