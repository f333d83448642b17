"""MeController: GET /me, the signed-in caller's own account."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from contracts.auth import Caller
from contracts.identity import api
from services.kernel import UnitOfWork

from .. import handlers
from .guards import user_only


class MeController(Controller):
    path = "/me"
    guards = (user_only,)
    tags = ("accounts",)

    @get("/", operation_id="GetMe")
    async def get_me(self, caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]) -> api.Me:
        return await handlers.get_me(caller, uow)
