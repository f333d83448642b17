"""待办 queue: an authority's submitted and accepted work (or any state asked for), within its
jurisdiction (自然资源部 ``000000``: all), with the holder, the working days left and overdue flags,
and on each row whose deadline was counted through a year without 放假安排, that year."""

from __future__ import annotations

import datetime as dt

from contracts.applications import review_api as api
from contracts.auth import Caller
from services.kernel import UnitOfWork

from .. import clock, errors
from ..model import deadlines
from ..model.calendar import WorkingCalendar, missing_years_warning
from ..model.workflow import STATES, Workflow
from ..repository import queue
from ..repository.queue import QueueRow
from .calendar import calendar_near

__all__ = ["OPEN_STATES", "read_queue"]

OPEN_STATES = ("submitted", "accepted")
"""The states awaiting an authority (the default of ``state``)."""


async def read_queue(
    caller: Caller,
    *,
    uow: UnitOfWork,
    workflow: Workflow,
    state: str | None,
    category: str | None,
    q: str | None,
    overdue: bool | None,
    sort: str,
    page: int,
    page_size: int,
) -> api.QueuePage:
    states = OPEN_STATES if not state else tuple(state.split(","))
    if not set(states) <= set(STATES):
        raise errors.QueueFilterInvalidError("state", "、".join(STATES))
    today = clock.today()
    wanted = queue.QueueFilter(
        jurisdiction=caller.jurisdiction or "",
        states=states,
        today=today,
        category=category or None,
        q=(q or "").strip() or None,
        overdue=overdue,
        sort=sort,
    )
    async with uow.reading() as conn:
        rows, total = await queue.page(conn, wanted, limit=page_size, offset=(page - 1) * page_size)
        calendar = await calendar_near(conn, today, *_counted_days(rows))
    items = [_item(row, workflow, calendar, today) for row in rows]
    missing = sorted({year for item in items for year in item.calendar_missing_years})
    return api.QueuePage(
        items=items,
        page=page,
        page_size=page_size,
        total=total,
        calendar_missing_years=missing,
        calendar_warning=missing_years_warning(missing),
        total_capped=total >= queue.COUNT_CAP,
    )


def _counted_days(rows: list[QueueRow]) -> list[dt.date | None]:
    """The days the rows' deadlines were counted from and run to (the calendar must hold them)."""
    return [day for row in rows for day in (row["submitted_on"], row["accepted_on"], row["deadline"])]


def _item(row: QueueRow, flow: Workflow, calendar: WorkingCalendar, today: dt.date) -> api.QueueItem:
    due: dt.date | None = row["deadline"]
    left = deadlines.time_left(calendar, due, today) if due else None
    start = deadlines.counted_from(row["state"], row["submitted_on"], row["accepted_on"])
    missing = deadlines.unloaded_years(calendar, start, due)
    holder = (
        api.Holder(account_id=row["holder_account_id"], name=row["holder_name"] or "", claimed_at=row["claimed_at"])
        if row["holder_account_id"] and row["claimed_at"]
        else None
    )
    return api.QueueItem(
        application_id=row["id"],
        unit_name=row["unit_name"],
        credit_code=row["credit_code"],
        application_type=row["application_type"],
        certificate_type=row["certificate_type"],
        jurisdiction=row["jurisdiction"],
        state=row["state"],
        state_label=flow.states[row["state"]].label,
        version=row["version"],
        submitted_at=row["submitted_at"],
        deadline=due,
        working_days_left=left.working_days if left else None,
        overdue=left.overdue if left else False,
        deemed=row["deemed"],
        extended=row["extended"],
        reviewed=row["reviewed"],
        holder=holder,
        evaluation_overall=row["evaluation_overall"],
        calendar_missing_years=missing,
        calendar_warning=missing_years_warning(missing),
    )
