"""RegisterController: the authority's register (证书登记) — search, detail with versions — and its
CSV export; always within the caller's jurisdiction (自然资源部, ``000000``, sees all)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Stream

from contracts.auth import Caller
from contracts.registry import api
from services.kernel import UnitOfWork, authority_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import reads
from ..repository.register import RegisterFilter
from .media import CsvOperation

__all__ = ["RegisterController", "RegisterExportController"]

MAX_PAGE_SIZE = 200
Text = Annotated[str | None, QueryParameter(min_length=1, max_length=100)]


def _filters(
    caller: NamedDependency[Caller],
    number: Annotated[str | None, QueryParameter(min_length=1, max_length=20)] = None,
    unit_name: Text = None,
    credit_code: Annotated[str | None, QueryParameter(min_length=1, max_length=18)] = None,
    certificate_type: Annotated[str | None, QueryParameter(min_length=1, max_length=30)] = None,
    category: Annotated[str | None, QueryParameter(min_length=1, max_length=30)] = None,
    status: FromQuery[api.CertificateStatus | None] = None,
    expires_before: FromQuery[dt.date | None] = None,
    expires_after: FromQuery[dt.date | None] = None,
) -> RegisterFilter:
    """The register's filters as query parameters (Litestar validates each: a bad one is a 400)."""
    return reads.filter_for(
        caller,
        number=number,
        unit_name=unit_name,
        credit_code=credit_code,
        certificate_type=certificate_type,
        category=category,
        status=status,
        expires_before=expires_before,
        expires_after=expires_after,
    )


class RegisterController(Controller):
    path = "/register"
    tags = ("register",)
    guards = (authority_scope(),)
    dependencies = {"where": Provide(_filters, sync_to_thread=False)}  # noqa: RUF012  (read once by Litestar)

    @get("/", operation_id="SearchRegister")
    async def search(
        self,
        where: NamedDependency[RegisterFilter],
        uow: NamedDependency[UnitOfWork],
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.RegisterPage:
        return await reads.register_page(where, uow=uow, page=page, page_size=page_size)

    @get("/{number:str}", operation_id="GetRegisterEntry", responses=refusals(errors.CertificateNotFoundError))
    async def detail(
        self, number: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.CertificateDetail:
        return await reads.detail(number, caller, uow=uow)


class RegisterExportController(Controller):
    path = "/register.csv"
    tags = ("register",)
    guards = (authority_scope(),)
    dependencies = {"where": Provide(_filters, sync_to_thread=False)}  # noqa: RUF012  (read once by Litestar)

    @get("/", operation_id="ExportRegister", media_type="text/csv; charset=utf-8", operation_class=CsvOperation)
    async def export(self, where: NamedDependency[RegisterFilter], uow: NamedDependency[UnitOfWork]) -> Stream:
        headers = {"Content-Disposition": 'attachment; filename="register.csv"'}
        return Stream(reads.register_csv(where, uow=uow), media_type="text/csv; charset=utf-8", headers=headers)
