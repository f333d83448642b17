"""LoginController: POST /logins/password, 账户登录 (manual 3.1), for the gateway's anonymous visitor."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from contracts.identity import api
from services.kernel import UnitOfWork, system_only
from services.kernel.openapi import refusals

from .. import errors, handlers, model


class LoginController(Controller):
    path = "/logins"
    guards = (system_only,)
    tags = ("logins",)

    @post(
        "/password",
        operation_id="LoginWithPassword",
        status_code=200,
        responses=refusals(errors.BadCredentialsError, errors.AccountLockedError, errors.AccountDisabledError),
    )
    async def login_with_password(
        self,
        data: JSONBody[api.PasswordLogin],
        uow: NamedDependency[UnitOfWork],
        lockout: NamedDependency[model.Lockout],
    ) -> api.LoginResult:
        return await handlers.login_with_password(data, uow, lockout=lockout)
