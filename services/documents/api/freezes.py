"""FreezeController: POST /freezes, 冻结 on submission — for the applications service (system callers)."""

from __future__ import annotations

from litestar import Controller, MediaType, Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from contracts.auth import Caller
from contracts.documents import api
from services.kernel import UnitOfWork, service_only
from services.kernel.openapi import refusals

from .. import errors, handlers


class FreezeController(Controller):
    path = "/freezes"
    guards = (service_only,)
    tags = ("freezes",)

    @post(
        "/",
        operation_id="FreezeDocuments",
        status_code=201,
        media_type=MediaType.JSON,
        responses={
            200: ResponseSpec(
                data_container=api.Freeze, description="The same freeze, made by the same request before"
            ),
            **refusals(errors.DocumentsNotFreezableError, errors.FreezeMismatchError),
        },
    )
    async def freeze(
        self, data: JSONBody[api.FreezeRequest], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> Response[api.Freeze]:
        made, created = await handlers.freeze(data, caller, uow)
        return Response(made, status_code=201 if created else 200)
