"""满足情况: the unit's countable roster and the 资质 it holds, judged by the standards service."""

from __future__ import annotations

from contracts.auth import Caller
from contracts.staffing import api
from contracts.standards.api import EvaluateRequest, Evaluation
from services.kernel import ServiceClient, UnitOfWork

from ..clock import today
from ..model.roster import facts
from ..repository.roster import RosterReads

__all__ = ["evaluate_roster"]


async def evaluate_roster(
    request: api.FulfilmentRequest, caller: Caller, *, uow: UnitOfWork, services: ServiceClient
) -> Evaluation:
    """专业技术人员 / 技术装备满足情况查看: the standards service's verdict, unchanged (its refusals
    too), for the categories and levels picked, on ``request.date`` (default today)."""
    on = request.date or today()
    async with uow.reading() as conn:
        roster = await RosterReads(conn).roster(caller.unit_id or "", on=on)
    counted = facts(roster, on=on)
    body = EvaluateRequest(
        application_date=on,
        requests=request.requests,
        staff=counted.staff,
        equipment=counted.equipment,
        held=counted.held,
        projects=counted.projects,
    )
    return await services.call("standards", "POST", "/evaluate", body=body, response_type=Evaluation)
