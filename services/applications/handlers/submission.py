"""提交: check every page, judge the roster against the standard, snapshot the roster and freeze the
documents, then move the work to 已提交 in one transaction — or change nothing.

The calls to staffing and documents come first, run concurrently, and are idempotent per
(application, revision). Each attempt takes the next revision first (``attempted_revision``,
committed; the work's version stays): if an attempt fails after the freeze and the unit then
changes its documents or roster, the retry freezes what it submits now under its own revision
instead of meeting documents' 409 freeze_mismatch or the earlier attempt's snapshot. Nothing else
changed locally, so a retry (same Idempotency-Key or a new one) is safe.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from contracts.applications import review_api as api
from contracts.applications.events import ApplicationSubmitted
from contracts.auth import Caller
from contracts.documents.api import Freeze, FreezeRequest
from contracts.staffing.api import FulfilmentRequest, SnapshotReceipt, SnapshotRequest
from contracts.standards.api import Evaluation, LevelRequest
from services.kernel import ServiceClient, UnitOfWork

from .. import clock, errors
from ..model import deadlines
from ..model.completeness import page_problems
from ..model.records import Entry, actor_name
from ..model.work import Work
from ..model.workflow import Workflow
from ..repository import records, transitions
from .access import owned_work
from .calendar import calendar_near
from .review import refuse_if_not, status_of

__all__ = ["submit"]


async def submit(
    application_id: str,
    request: api.SubmitWork,
    caller: Caller,
    *,
    caller_token: str,
    uow: UnitOfWork,
    services: ServiceClient,
    workflow: Workflow,
) -> api.WorkflowStatus:
    """The work as submitted (state, version, accept_due), or a refusal with nothing changed."""
    async with uow.reading() as conn:
        work = await owned_work(conn, application_id, caller)
        progress = await transitions.load(conn, application_id)
    assert progress is not None
    if progress.version != request.expected_version:
        raise errors.StaleVersionError()
    refuse_if_not(workflow, "submit", progress, caller)
    problems = page_problems(work)
    if problems:
        raise errors.IncompletePagesError(problems)
    today = clock.today()
    evaluation = await _evaluate(work, workflow, caller_token=caller_token, services=services, today=today)
    revision = await _attempt(uow, work, request, action_sources=workflow.by_effect("submit")[1].sources)
    snapshot_id, _ = await asyncio.gather(
        _snapshot(work, revision, services=services), _freeze(work, revision, services=services)
    )
    return await _record(
        work,
        request,
        caller,
        workflow,
        uow=uow,
        revision=revision,
        today=today,
        snapshot_id=snapshot_id,
        evaluation=evaluation,
    )


async def _attempt(uow: UnitOfWork, work: Work, request: api.SubmitWork, *, action_sources: list[str]) -> int:
    """The revision this attempt snapshots and freezes under, committed before the calls by one
    autocommitted statement: bookkeeping, not the request's effect, so a failed attempt leaves
    its Idempotency-Key free for the retry (a unit of work's commit would mark it used)."""
    async with uow.reading() as conn:
        revision = await transitions.attempt(
            conn, work.id, expected_version=request.expected_version, from_states=action_sources
        )
    if revision is None:
        raise errors.StaleVersionError()
    return revision


def _has_roster(work: Work) -> bool:
    """新单位注册, 基本信息变更, 补领, 注销 have no roster page: no standard, no snapshot."""
    return any(laid.spec.roster for laid in work.laid_pages())


async def _evaluate(
    work: Work, workflow: Workflow, *, caller_token: str, services: ServiceClient, today: dt.date
) -> Evaluation | None:
    """满足情况 of the unit's roster for the requested levels (the unit's own token: its roster);
    ``fail`` blocks the types the workflow data names, ``incomplete`` is kept for the reviewer."""
    levels = work.requested_levels()
    if not _has_roster(work) or not levels:
        return None
    body = FulfilmentRequest(requests=[LevelRequest(category=x.category, level=x.level) for x in levels], date=today)
    found = await services.call(
        "staffing", "POST", "/fulfilment", body=body, response_type=Evaluation, token=caller_token
    )
    if workflow.standard_blocks(work.application_type, found.overall):
        raise errors.StandardNotMetError(found)
    return found


async def _snapshot(work: Work, revision: int, *, services: ServiceClient) -> str | None:
    if not _has_roster(work):
        return None
    body = SnapshotRequest(
        unit_id=work.unit_id, application_id=work.id, revision=revision, jurisdiction=work.jurisdiction
    )
    made = await services.call("staffing", "POST", "/snapshots/receipts", body=body, response_type=SnapshotReceipt)
    return made.id


async def _freeze(work: Work, revision: int, *, services: ServiceClient) -> None:
    document_ids = work.document_ids()
    if not document_ids:
        return
    body = FreezeRequest(
        application_id=work.id,
        revision=revision,
        unit_id=work.unit_id,
        jurisdiction=work.jurisdiction,
        document_ids=document_ids,
    )
    await services.call("documents", "POST", "/freezes", body=body, response_type=Freeze)


async def _record(
    work: Work,
    request: api.SubmitWork,
    caller: Caller,
    workflow: Workflow,
    *,
    uow: UnitOfWork,
    revision: int,
    today: dt.date,
    snapshot_id: str | None,
    evaluation: Evaluation | None,
) -> api.WorkflowStatus:
    code, action = workflow.by_effect("submit")
    overall = evaluation.overall if evaluation is not None else None
    async with uow:
        calendar = await calendar_near(uow.conn, today)
        due = deadlines.accept_due(calendar, today, workflow.deadline_limits)
        version = await transitions.submit(
            uow.conn,
            work.id,
            expected_version=request.expected_version,
            from_states=action.sources,
            revision=revision,
            snapshot_id=snapshot_id,
            evaluation=evaluation,
            overall=overall,
            at=clock.now(),
            on=today,
            accept_due=due,
        )
        if version is None:
            raise errors.StaleVersionError()
        await records.append(uow.conn, _entry(work, caller, action=code, revision=revision, overall=overall))
        uow.emit(_event(work, revision=revision, snapshot_id=snapshot_id, overall=overall, due=due))
        progress = await transitions.load(uow.conn, work.id)
        assert progress is not None
        status = status_of(workflow, progress, caller=caller, calendar=calendar, today=today)
        await uow.commit()
    return status


def _entry(work: Work, caller: Caller, *, action: str, revision: int, overall: str | None) -> Entry:
    return Entry(
        application_id=work.id,
        revision=revision,
        action=action,
        from_state=work.state,
        to_state="submitted",
        actor_account=caller.account_id,
        actor_name=actor_name(caller),
        actor_role="unit",
        details={"evaluation": overall} if overall else {},
    )


def _event(
    work: Work, *, revision: int, snapshot_id: str | None, overall: str | None, due: dt.date
) -> ApplicationSubmitted:
    return ApplicationSubmitted(
        aggregate_id=work.id,
        application_id=work.id,
        unit_id=work.unit_id,
        revision=revision,
        application_type=work.application_type,
        certificate_type=work.certificate_type,
        jurisdiction=work.jurisdiction,
        snapshot_id=snapshot_id,
        evaluation=overall,
        accept_due=due,
    )
