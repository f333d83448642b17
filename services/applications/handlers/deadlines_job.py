"""视为受理: a job marks submitted work accepted when its 5 工作日 passed without 受理 or 退回补齐.

Run by one replica under the kernel's advisory lock (``Job``). Each work moves in its own
transaction after re-reading it locked, so a 受理 that came first wins and a crash mid-batch is
picked up at the next tick. Per standards.md §2.3 the work counts as accepted *from the day the
materials were received*: ``accepted_on`` is the day of 提交 and the 15 工作日 count from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from services.kernel import UnitOfWork, service_caller
from services.kernel.jobs import Job

from .. import clock
from ..model import deadlines
from ..model.records import Entry
from ..model.workflow import Workflow
from ..repository import records, transitions
from .calendar import calendar_near
from .events import accepted

__all__ = ["DEEM_EVERY_SECONDS", "deem_overdue", "jobs"]

logger = logging.getLogger(__name__)
DEEM_EVERY_SECONDS = 300.0
ACTOR = service_caller("applications")


async def deem_overdue(uow: UnitOfWork, *, workflow: Workflow, today: dt.date | None = None, batch: int = 200) -> int:
    """Deem accepted every submitted work whose ``accept_due`` is before ``today``; how many."""
    on = today or clock.today()
    async with uow.reading() as conn:
        due = await transitions.deemable(conn, on, limit=batch)
    done = 0
    for application_id in due:
        done += await _deem(uow, application_id, workflow=workflow, today=on)
    if done:
        logger.info("视为受理: %d work(s) deemed accepted", done)
    return done


async def _deem(uow: UnitOfWork, application_id: str, *, workflow: Workflow, today: dt.date) -> int:
    code, action = next((c, a) for c, a in workflow.actions.items() if a.role == "system" and a.effect == "accept")
    async with uow:
        progress = await transitions.load(uow.conn, application_id, lock=True)
        if progress is None or progress.state not in action.sources or not _late(progress, today):
            return 0  # accepted, returned or withdrawn meanwhile
        received = progress.submitted_on or today
        calendar = await calendar_near(uow.conn, received)
        step = dataclasses.replace(
            progress,
            state=action.to or "accepted",
            deemed=True,
            accepted_on=received,
            decision_due=deadlines.decision_due(calendar, received, workflow.deadline_limits),
            holder_account_id=None,
            holder_name=None,
            claimed_at=None,
        )
        await transitions.save(uow.conn, step, expected_version=progress.version)
        await records.append(
            uow.conn,
            Entry(
                application_id=step.id,
                revision=step.revision,
                action=code,
                from_state=progress.state,
                to_state=step.state,
                actor_account=ACTOR.account_id,
                actor_name=action.label,
                actor_role="system",
                details={"accept_due": str(progress.accept_due), "decision_due": str(step.decision_due)},
            ),
        )
        uow.emit(accepted(step))
        await uow.commit()
    return 1


def _late(progress: transitions.Progress, today: dt.date) -> bool:
    return progress.accept_due is not None and deadlines.is_overdue(progress.accept_due, today)


def jobs(provided: Mapping[str, object]) -> Sequence[Job]:
    """The service's periodic jobs, from its provided values (the workflow data)."""
    flow = provided["workflow"]
    assert isinstance(flow, Workflow)
    run: Callable[[UnitOfWork], Coroutine[Any, Any, int]] = lambda uow: deem_overdue(uow, workflow=flow)  # noqa: E731
    return [Job(name="deemed_acceptance", every_seconds=DEEM_EVERY_SECONDS, run=run)]
