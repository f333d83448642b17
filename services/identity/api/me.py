"""MeController: GET /me, the signed-in caller's own account."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from contracts.auth import Caller
from contracts.identity import api
from services.kernel import UnitOfWork, signed_in
from services.kernel.openapi import refusals

from .. import errors, handlers


class MeController(Controller):
    path = "/me"
    guards = (signed_in,)
    tags = ("accounts",)

    @get("/", operation_id="GetMe", responses=refusals(errors.NoAccountError))
    async def get_me(self, caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]) -> api.Me:
        return await handlers.get_me(caller, uow)
