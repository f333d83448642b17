"""RegistrationController: POST /accounts, 注册 (manual 3.3), for the gateway's anonymous visitor."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from contracts.identity import api
from services.kernel import UnitOfWork, system_only
from services.kernel.openapi import refusals

from .. import errors, handlers


class RegistrationController(Controller):
    path = "/accounts"
    guards = (system_only,)
    tags = ("accounts",)

    @post(
        "/",
        operation_id="RegisterUnitAccount",
        status_code=201,
        responses=refusals(
            errors.InvalidCreditCodeError,
            errors.WeakPasswordError,
            errors.PasswordMismatchError,
            errors.BlankFieldError,
            errors.UnitNameTakenError,
            errors.CreditCodeTakenError,
            errors.UsernameTakenError,
        ),
    )
    async def register(self, data: JSONBody[api.RegisterRequest], uow: NamedDependency[UnitOfWork]) -> api.Account:
        return await handlers.register(data, uow)
