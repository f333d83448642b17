"""AccountController: GET /accounts/{account_id}, for the owner or an authority/admin."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from contracts.auth import Caller
from contracts.identity import api
from services.kernel import UnitOfWork, signed_in
from services.kernel.openapi import refusals

from .. import errors, handlers


class AccountController(Controller):
    path = "/accounts"
    guards = (signed_in,)
    tags = ("accounts",)

    @get("/{account_id:str}", operation_id="GetAccount", responses=refusals(errors.AccountNotFoundError))
    async def get_account(
        self, account_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.Account:
        return await handlers.get_account(account_id, caller, uow)
