"""FulfilmentController: POST /fulfilment, 满足情况 of the caller unit's roster (manual 5.5.5, 5.6.3, 5.7)."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from contracts.auth import Caller
from contracts.staffing import api
from contracts.standards.api import Evaluation
from services.kernel import ServiceClient, UnitOfWork, UpstreamError, unit_scope
from services.kernel.openapi import refusals

from ..handlers import fulfilment


class FulfilmentController(Controller):
    path = "/fulfilment"
    guards = (unit_scope,)
    tags = ("fulfilment",)

    @post("/", operation_id="EvaluateRoster", status_code=200, responses=refusals(UpstreamError))
    async def evaluate(
        self,
        data: JSONBody[api.FulfilmentRequest],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
    ) -> Evaluation:
        return await fulfilment.evaluate_roster(data, caller, uow=uow, services=services)
