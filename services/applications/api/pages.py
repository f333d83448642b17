"""信息填报: GET one page of a work (its unit; an authority covering it once submitted) and PUT (保存)
one page of the caller unit's own work."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody

from contracts.applications import api
from contracts.auth import Caller
from services.kernel import ServiceClient, UnitOfWork, UpstreamError, signed_in, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import pages
from ..handlers.standard import StandardLevels

__all__ = ["PageController"]

_READ_REFUSALS = (errors.WorkNotFoundError, errors.PageNotFoundError, errors.NoStandardInForceError, UpstreamError)


class PageController(Controller):
    path = "/works/{application_id:str}/pages"
    tags = ("pages",)

    @get("/{key:str}", operation_id="GetWorkPage", guards=[signed_in], responses=refusals(*_READ_REFUSALS))
    async def get_page(
        self,
        application_id: FromPath[str],
        key: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        standard: NamedDependency[StandardLevels],
    ) -> api.WorkPage:
        return await pages.get_page(application_id, key, caller, uow, services=services, standard=standard)

    @put(
        "/{key:str}",
        operation_id="SaveWorkPage",
        guards=[unit_scope],
        responses=refusals(*_READ_REFUSALS, errors.PageInvalidError, errors.NotEditableError, errors.StaleVersionError),
    )
    async def save_page(
        self,
        application_id: FromPath[str],
        key: FromPath[str],
        data: JSONBody[api.SavePage],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        standard: NamedDependency[StandardLevels],
        if_match: Annotated[str | None, HeaderParameter(name="If-Match", max_length=20)] = None,
    ) -> api.WorkPage:
        return await pages.save_page(
            application_id,
            key,
            data,
            caller,
            uow,
            if_match=if_match,
            services=services,
            standard=standard,
            caller_token=caller_token,
        )
