"""The workflow's transitions (领取, 受理, 退回补齐, 撤回, 审查意见, 批准, 不予批准, 延期), the workflow
status of a work, and its 审批记录.

A transition locks the work, checks the expected version (a concurrent reviewer who came second
gets 409 该申请已被他人处理，请刷新后查看), asks the workflow data whether the caller may act, and
writes the next step, the record entry and the event in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence

from contracts.applications import review_api as api
from contracts.auth import Caller
from contracts.standards.api import Evaluation
from services.kernel import UnitOfWork
from services.kernel.db import Connection

from .. import clock, errors
from ..model import deadlines, workflow
from ..model.calendar import WorkingCalendar, missing_years_warning
from ..model.records import RETURN, Entry, acting_role, actor_name
from ..model.workflow import Action, Actor, Refusal, Situation, Workflow
from ..repository import records, transitions, works
from ..repository.transitions import Progress
from .access import may_read
from .calendar import calendar_near
from .events import event_of

__all__ = ["actor_of", "read_records", "read_status", "refuse_if_not", "status_of", "take_action"]


def actor_of(caller: Caller) -> Actor:
    kind = {"unit": "unit", "system": "system"}.get(caller.role, "authority")
    return Actor(caller.account_id, kind, frozenset(caller.roles))  # type: ignore[arg-type]


def situation_of(progress: Progress) -> Situation:
    return Situation(
        state=progress.state, holder=progress.holder_account_id, reviewed=progress.reviewed, extended=progress.extended
    )


def refuse_if_not(
    flow: Workflow,
    code: str,
    progress: Progress,
    caller: Caller,
    *,
    opinion: str | None = None,
    reasons: Sequence[str] = (),
) -> Action:
    """The action, if ``caller`` may take it now; else the refusal as the error tree says."""
    found = workflow.refusal(flow, code, situation_of(progress), actor_of(caller), opinion=opinion, reasons=reasons)
    action = flow.action(code)
    if found is None and action is not None:
        return action
    if found is Refusal.UNKNOWN_ACTION or action is None:
        raise errors.UnknownActionError()
    raise _error(found, action, state_label=flow.states[progress.state].label, holder=progress.holder_name)


def _error(found: Refusal | None, action: Action, *, state_label: str, holder: str | None) -> Exception:
    return {
        Refusal.ROLE: lambda: errors.ActionNotPermittedError(action.label),
        Refusal.STATE: lambda: errors.WrongStateError(state_label, action.label),
        Refusal.NOT_CLAIMED: errors.NotClaimedError,
        Refusal.HELD_BY_OTHER: lambda: errors.HeldByOtherError(holder),
        Refusal.NEEDS_REVIEW: errors.ReviewRequiredError,
        Refusal.ALREADY_REVIEWED: errors.AlreadyReviewedError,
        Refusal.ALREADY_DONE: errors.AlreadyExtendedError,
        Refusal.REASONS_REQUIRED: lambda: errors.ReasonsRequiredError(action.label),
        Refusal.OPINION_REQUIRED: lambda: errors.OpinionRequiredError(action.label),
    }.get(found, errors.UnknownActionError)()  # type: ignore[arg-type]


async def visible_progress(conn: Connection, application_id: str, caller: Caller, *, lock: bool = False) -> Progress:
    """The work's progress if the caller may read the work (the owner; an authority covering it
    once submitted); anyone else is told it does not exist."""
    progress = await transitions.load(conn, application_id, lock=lock) if _is_uuid(application_id) else None
    row = await works.load_row(conn, application_id) if progress is not None else None
    if progress is None or row is None or not may_read(caller, row):
        raise errors.WorkNotFoundError()
    return progress


async def take_action(
    application_id: str, request: api.TakeAction, caller: Caller, *, uow: UnitOfWork, workflow: Workflow
) -> api.WorkflowStatus:
    known = workflow.action(request.action)
    if known is None or known.role == "system" or known.effect == "submit":
        raise errors.UnknownActionError()  # 视为受理 is the job's, 提交 has its own route
    today = clock.today()
    async with uow:
        progress = await visible_progress(uow.conn, application_id, caller, lock=True)
        if progress.version != request.expected_version:
            raise errors.StaleVersionError()
        action = refuse_if_not(
            workflow, request.action, progress, caller, opinion=request.opinion, reasons=request.reasons
        )
        calendar = await calendar_near(uow.conn, today)
        step = advance(action, progress, holder=caller, calendar=calendar, today=today, flow=workflow)
        if await transitions.save(uow.conn, step, expected_version=progress.version) is None:
            raise errors.StaleVersionError()
        await records.append(uow.conn, _entry(request, action, progress, step, caller))
        event = await event_of(uow.conn, action, step, caller, today=today)
        if event is not None:
            uow.emit(event)
        status = status_of(
            workflow, await _reload(uow.conn, application_id), caller=caller, calendar=calendar, today=today
        )
        await uow.commit()
    return status


def advance(
    action: Action, progress: Progress, *, holder: Caller, calendar: WorkingCalendar, today: dt.date, flow: Workflow
) -> Progress:
    """The work's next step after ``action`` (the effect named in the workflow data)."""
    step = dataclasses.replace(progress, state=action.to or progress.state)
    if action.releases_claim:
        step = dataclasses.replace(step, holder_account_id=None, holder_name=None, claimed_at=None)
    limits = flow.deadline_limits
    match action.effect:
        case "claim":
            name = actor_name(holder)
            return dataclasses.replace(
                step, holder_account_id=holder.account_id, holder_name=name, claimed_at=clock.now()
            )
        case "accept":
            return dataclasses.replace(
                step, accepted_on=today, decision_due=deadlines.decision_due(calendar, today, limits)
            )
        case "review":
            return dataclasses.replace(step, reviewed_revision=progress.revision)
        case "approve" | "refuse":
            return dataclasses.replace(step, decided_on=today)
        case "extend":
            assert progress.decision_due is not None
            due = deadlines.extended_due(calendar, progress.decision_due, limits)
            return dataclasses.replace(step, extended=True, decision_due=due)
    return step


def _entry(request: api.TakeAction, action: Action, before: Progress, after: Progress, caller: Caller) -> Entry:
    details = (
        {"decision_due": after.decision_due.isoformat()}
        if action.effect in ("accept", "extend") and (after.decision_due)
        else {}
    )
    if request.action == RETURN and request.pages:
        details = {"pages": ",".join(dict.fromkeys(request.pages))}
    return Entry(
        application_id=before.id,
        revision=before.revision,
        action=request.action,
        from_state=before.state,
        to_state=after.state,
        actor_account=caller.account_id,
        actor_name=actor_name(caller),
        actor_role=acting_role(caller, action),
        authority_name=caller.org_name,
        opinion=request.opinion,
        reasons=tuple(r.strip() for r in request.reasons if r.strip()),
        attachments=tuple(request.attachments),
        notice=action.notice,
        details=details,
    )


async def _reload(conn: Connection, application_id: str) -> Progress:
    found = await transitions.load(conn, application_id)
    assert found is not None
    return found


def status_of(
    flow: Workflow,
    progress: Progress,
    *,
    caller: Caller,
    calendar: WorkingCalendar,
    today: dt.date,
    evaluation: Evaluation | None = None,
) -> api.WorkflowStatus:
    """The workflow status a caller sees: deadlines with the time left and the actions offered."""
    offered = workflow.available(flow, situation_of(progress), actor_of(caller))
    holder = (
        api.Holder(
            account_id=progress.holder_account_id, name=progress.holder_name or "", claimed_at=progress.claimed_at
        )
        if progress.holder_account_id and progress.claimed_at and caller.role != "unit"
        else None
    )
    return api.WorkflowStatus(
        application_id=progress.id,
        state=progress.state,
        state_label=flow.states[progress.state].label,
        version=progress.version,
        revision=progress.revision,
        final=flow.states[progress.state].final,
        holder=holder,
        reviewed=progress.reviewed,
        evaluation_overall=progress.evaluation_overall,
        snapshot_id=progress.snapshot_id,
        deadlines=deadlines_of(progress, calendar, today),
        actions=[_option(code, flow.actions[code]) for code in offered],
        evaluation=evaluation,
    )


def deadlines_of(progress: Progress, calendar: WorkingCalendar, today: dt.date) -> api.Deadlines:
    left = deadlines.time_left(calendar, progress.deadline, today) if progress.deadline else None
    start = deadlines.counted_from(progress.state, progress.submitted_on, progress.accepted_on)
    missing = deadlines.unloaded_years(calendar, start, progress.deadline)
    return api.Deadlines(
        submitted_on=progress.submitted_on,
        accept_due=progress.accept_due,
        accepted_on=progress.accepted_on,
        deemed=progress.deemed,
        decision_due=progress.decision_due,
        extended=progress.extended,
        decided_on=progress.decided_on,
        deadline=progress.deadline,
        working_days_left=left.working_days if left else None,
        overdue=left.overdue if left else False,
        calendar_missing_years=missing,
        calendar_warning=missing_years_warning(missing),
    )


def _option(code: str, action: Action) -> api.ActionOption:
    return api.ActionOption(
        action=code,
        label=action.label,
        reasons_required=action.reasons == "required",
        opinion_required=action.opinion == "required",
        notice=action.notice,
    )


async def read_status(
    application_id: str, caller: Caller, *, uow: UnitOfWork, workflow: Workflow
) -> api.WorkflowStatus:
    today = clock.today()
    async with uow.reading() as conn:
        progress = await visible_progress(conn, application_id, caller)
        calendar = await calendar_near(conn, today, progress.submitted_on, progress.accepted_on, progress.deadline)
        evaluation = await transitions.evaluation(conn, progress.id) if progress.evaluation_overall else None
    return status_of(workflow, progress, caller=caller, calendar=calendar, today=today, evaluation=evaluation)


async def read_records(
    application_id: str, caller: Caller, *, uow: UnitOfWork, workflow: Workflow
) -> api.ReviewRecords:
    """审批记录: the owning unit and a covering authority read it; nobody else learns it exists."""
    async with uow.reading() as conn:
        await visible_progress(conn, application_id, caller)
        entries = await records.of_work(conn, application_id)
    items = [_record_view(e, workflow, names_officers=caller.role != "unit") for e in entries]
    return api.ReviewRecords(application_id=application_id, items=items)


def _record_view(entry: Entry, flow: Workflow, *, names_officers: bool) -> api.ReviewRecord:
    """An entry as its reader sees it: a unit reads an authority's 机关名称 and role, not who acted."""
    action = flow.action(entry.action)
    assert entry.id is not None and entry.recorded_at is not None
    return api.ReviewRecord(
        id=entry.id,
        revision=entry.revision,
        action=entry.action,
        action_label=action.label if action else entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_name=entry.actor_name if names_officers or entry.actor_role in ("unit", "system") else None,
        actor_role=entry.actor_role,
        actor_role_label=flow.roles.get(entry.actor_role, entry.actor_role),
        authority_name=entry.authority_name,
        opinion=entry.opinion,
        reasons=list(entry.reasons),
        attachments=list(entry.attachments),
        notice=entry.notice,
        details=dict(entry.details),
        recorded_at=entry.recorded_at,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
