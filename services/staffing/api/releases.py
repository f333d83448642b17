"""ReleaseController: POST /releases (协调 by an authority over the holding unit) and GET /releases
(a unit: the releases from its roster; an authority: those within its jurisdiction)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import UnitOfWork, authority_scope, signed_in
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import releases
from ..protection import Protector

MAX_PAGE_SIZE = 100


class ReleaseController(Controller):
    path = "/releases"
    tags = ("releases",)

    @post(
        "/",
        operation_id="ReleaseEntry",
        guards=[authority_scope()],
        status_code=201,
        responses=refusals(
            errors.MissingFieldError,
            errors.InvalidIdNumberError,
            errors.OutsideJurisdictionError,
            errors.NotRegisteredError,
        ),
    )
    async def release(
        self,
        data: JSONBody[api.ReleaseRequest],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        protector: NamedDependency[Protector],
    ) -> api.Release:
        return await releases.release(data, caller, uow=uow, protector=protector)

    @get("/", operation_id="ListReleases", guards=[signed_in])
    async def list_releases(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.ReleasePage:
        return await releases.list_releases(caller, uow=uow, page=page, page_size=page_size)
