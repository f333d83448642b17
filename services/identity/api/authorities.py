"""AuthorityAccountController: 系统管理's authority accounts — 新建, the list, 停用 (administrator only)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from contracts.auth import Caller
from contracts.identity import api
from services.kernel import UnitOfWork
from services.kernel.openapi import refusals

from .. import errors, handlers
from .guards import admin_only

MAX_PAGE_SIZE = 200


class AuthorityAccountController(Controller):
    path = "/authority-accounts"
    guards = (admin_only,)
    tags = ("authority-accounts",)

    @post(
        "/",
        operation_id="CreateAuthorityAccount",
        status_code=201,
        responses=refusals(
            errors.AdminOnlyError,
            errors.BlankFieldError,
            errors.InvalidJurisdictionError,
            errors.WeakPasswordError,
            errors.UsernameTakenError,
        ),
    )
    async def create(
        self,
        data: JSONBody[api.AuthorityAccountCreate],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
    ) -> api.AuthorityAccount:
        return await handlers.create_authority_account(data, uow, actor=caller.account_id)

    @get("/", operation_id="ListAuthorityAccounts", responses=refusals(errors.AdminOnlyError))
    async def list_accounts(
        self,
        uow: NamedDependency[UnitOfWork],
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.AuthorityAccountPage:
        return await handlers.list_authority_accounts(uow, page=page, page_size=page_size)

    @post(
        "/{account_id:str}/disable",
        operation_id="DisableAuthorityAccount",
        status_code=200,
        responses=refusals(errors.AdminOnlyError, errors.AccountNotFoundError),
    )
    async def disable(
        self, account_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.AuthorityAccount:
        return await handlers.disable_authority_account(account_id, uow, actor=caller.account_id)
