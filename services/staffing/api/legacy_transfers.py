"""LegacyTransferController: 人员基本信息转移 of the 老人老办法 persons a unit ticked."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import UnitOfWork, unit_scope

from ..handlers import legacy_transfer


class LegacyTransferController(Controller):
    path = "/legacy/transfers"
    tags = ("legacy",)
    guards = (unit_scope,)

    @post("/", operation_id="TransferLegacyPersons", status_code=200)
    async def transfer(
        self,
        data: JSONBody[api.LegacyTransferRequest],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
    ) -> api.LegacyTransferResult:
        return await legacy_transfer.transfer_legacy_persons(data, caller, uow)
