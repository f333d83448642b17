"""新建工作 (GET /types, POST /works), 工作列表 (GET /works), 查看 and 删除 a piece of work."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from contracts.applications import api
from contracts.auth import Caller
from services.kernel import UnitOfWork, signed_in, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import works

__all__ = ["TypeController", "WorkController"]

MAX_PAGE_SIZE = 100


class TypeController(Controller):
    path = "/types"
    tags = ("works",)
    guards = (unit_scope,)

    @get(
        "/",
        operation_id="ListApplicationTypes",
        responses=refusals(errors.UnitNotKnownError, errors.UnitIdInvalidError),
    )
    async def list_types(
        self, caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.ApplicationTypeOptions:
        return await works.type_options(caller, uow)


class WorkController(Controller):
    path = "/works"
    tags = ("works",)

    @get("/", operation_id="ListWorks", guards=[unit_scope])
    async def list_works(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.WorkList:
        return await works.list_works(caller, uow, page=page, page_size=page_size)

    @post(
        "/",
        operation_id="CreateWork",
        status_code=201,
        guards=[unit_scope],
        responses=refusals(
            errors.NotEligibleError, errors.WorkInProgressError, errors.UnitNotKnownError, errors.UnitIdInvalidError
        ),
    )
    async def create_work(
        self, data: JSONBody[api.CreateWork], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.Work:
        return await works.create_work(data, caller, uow)

    @get(
        "/{application_id:str}",
        operation_id="GetWork",
        guards=[signed_in],
        responses=refusals(errors.WorkNotFoundError),
    )
    async def get_work(
        self, application_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.Work:
        return await works.get_work(application_id, caller, uow)

    @delete(
        "/{application_id:str}",
        operation_id="DeleteWork",
        guards=[unit_scope],
        responses=refusals(errors.WorkNotFoundError, errors.NotDeletableError, errors.StaleVersionError),
    )
    async def delete_work(
        self,
        application_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        if_match: Annotated[str | None, HeaderParameter(name="If-Match", max_length=20)] = None,
    ) -> None:
        await works.delete_work(application_id, caller, uow, version=_version(if_match))


def _version(if_match: str | None) -> int | None:
    text = (if_match or "").strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else None
