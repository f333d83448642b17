"""The events of the workflow's transitions: what each consumer needs, built from the step taken
(and, for 批准, from the work's pages: levels, 基本信息 changes, the certificate concerned)."""

from __future__ import annotations

import datetime as dt

from contracts.applications.events import (
    ApplicationAccepted,
    ApplicationApproved,
    ApplicationRefused,
    ApplicationReturned,
    ApplicationWithdrawn,
)
from contracts.auth import Caller
from contracts.base import Event
from services.kernel.db import Connection

from ..model.workflow import Action
from ..repository import works
from ..repository.transitions import Progress

__all__ = ["accepted", "event_of"]


def accepted(step: Progress) -> ApplicationAccepted:
    """受理, or 视为受理 when ``step.deemed``."""
    assert step.accepted_on is not None and step.decision_due is not None
    return ApplicationAccepted(
        aggregate_id=step.id,
        application_id=step.id,
        unit_id=step.unit_id,
        revision=step.revision,
        jurisdiction=step.jurisdiction,
        accepted_on=step.accepted_on,
        decision_due=step.decision_due,
        deemed=step.deemed,
    )


async def event_of(conn: Connection, action: Action, step: Progress, caller: Caller, *, today: dt.date) -> Event | None:
    """The event of ``action`` (None for 领取, 审查意见 and 延期: internal to the authority)."""
    match action.effect:
        case "accept":
            return accepted(step)
        case "return":
            return ApplicationReturned(
                aggregate_id=step.id,
                application_id=step.id,
                unit_id=step.unit_id,
                revision=step.revision,
                jurisdiction=step.jurisdiction,
                returned_on=today,
            )
        case "withdraw":
            return ApplicationWithdrawn(
                aggregate_id=step.id,
                application_id=step.id,
                unit_id=step.unit_id,
                revision=step.revision,
                jurisdiction=step.jurisdiction,
            )
        case "refuse":
            return ApplicationRefused(
                aggregate_id=step.id,
                application_id=step.id,
                unit_id=step.unit_id,
                revision=step.revision,
                jurisdiction=step.jurisdiction,
                refused_on=today,
            )
        case "approve":
            return await _approved(conn, step, caller, today=today)
    return None


async def _approved(conn: Connection, step: Progress, caller: Caller, *, today: dt.date) -> ApplicationApproved:
    work = await works.load(conn, step.id)
    assert work is not None
    return ApplicationApproved(
        aggregate_id=step.id,
        application_id=step.id,
        unit_id=step.unit_id,
        revision=step.revision,
        application_type=work.application_type,
        certificate_type=work.certificate_type,
        jurisdiction=step.jurisdiction,
        approved_on=today,
        levels=work.requested_levels(),
        snapshot_id=step.snapshot_id,
        certificate_number=work.concerned_certificate(),
        changes=work.changes(),
        unit=work.particulars(),
        authority_name=caller.org_name,
        reason=work.reason(),
    )
