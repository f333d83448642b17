"""LegacyController: 老人老办法 — a unit's ‘老人老办法’技术人员查询, the administrator's load of the
old system's staff export, and the rejected rows' report of a load."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, QueryParameter

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import ForbiddenError, UnitOfWork, caller_of, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import legacy
from ..settings import StaffingSettings
from .legacy_form import REPORT_TYPE, LegacyReportOperation, LegacyUploadOperation, read_legacy_upload

__all__ = ["LegacyController", "legacy_loader"]

MAX_PAGE_SIZE = 500


async def legacy_loader(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the administrator, or authority staff of 自然资源部 (jurisdiction 000000)."""
    if not legacy.may_load_legacy(caller_of(connection)):
        raise ForbiddenError("仅限系统管理员或自然资源部用户导入旧系统人员数据")


class LegacyController(Controller):
    path = "/legacy"
    tags = ("legacy",)

    @get("/persons", operation_id="ListLegacyPersons", guards=[unit_scope])
    async def list_persons(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.LegacyPersonPage:
        return await legacy.list_legacy_persons(caller, uow, page=page, page_size=page_size)

    @post(
        "/loads",
        operation_id="LoadLegacyExport",
        guards=[legacy_loader],
        status_code=201,
        request_max_body_size=None,  # read_legacy_upload enforces STAFFING_LEGACY_MAX_BYTES as it streams in
        operation_class=LegacyUploadOperation,
        responses=refusals(errors.InvalidLegacyFileError, errors.LegacyFileTooLargeError),
    )
    async def load(
        self,
        request: Request[Any, Any, Any],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        settings: NamedDependency[StaffingSettings],
    ) -> api.LegacyLoad:
        upload = await read_legacy_upload(request, max_bytes=settings.staffing_legacy_max_bytes)
        return await legacy.load_legacy_export(upload, caller, uow, settings=settings)

    @get(
        "/loads/{load_id:str}/report",
        operation_id="GetLegacyLoadReport",
        media_type=MediaType.JSON,  # refusals are the JSON ErrorBody; the report carries its own type
        operation_class=LegacyReportOperation,
        responses=refusals(errors.LegacyLoadNotFoundError),
    )
    async def report(
        self, load_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> Response[bytes]:
        report = await legacy.legacy_report(load_id, caller, uow)
        disposition = f'attachment; filename="rejected-{load_id}.csv"'
        return Response(report, media_type=REPORT_TYPE, headers={"Content-Disposition": disposition})
