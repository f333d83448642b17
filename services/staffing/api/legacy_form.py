"""What the 老人老办法 load's HTTP exchange needs beyond Litestar: the multipart upload read as it
streams in (the kernel's reader: the file kept in memory up to the limit, never beyond), and the
OpenAPI description of that body and of the CSV report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from litestar import Request
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from services.kernel.multipart import Refusals, read_form

from .. import errors
from ..handlers.legacy import LegacyUpload

__all__ = ["REPORT_TYPE", "LegacyReportOperation", "LegacyUploadOperation", "read_legacy_upload"]

REPORT_TYPE = "text/csv"
"""Litestar adds ``; charset=utf-8`` to a text type."""
_NOT_A_FORM = "请以表单（multipart/form-data）上传，文件字段名为file"


async def read_legacy_upload(request: Request[Any, Any, Any], *, max_bytes: int) -> LegacyUpload:
    """The ``file`` part (a second one is read past); LegacyFileTooLargeError as soon as the body
    is announced or found longer (the kernel's streaming reader)."""
    refusals = Refusals(
        too_large=lambda: errors.LegacyFileTooLargeError(max_bytes),
        malformed=lambda: errors.InvalidLegacyFileError(_NOT_A_FORM),
        field_too_long=lambda _: errors.InvalidLegacyFileError(_NOT_A_FORM),
    )
    form = await read_form(request, max_bytes=max_bytes, refusals=refusals)
    if form.file is None:
        raise errors.InvalidLegacyFileError("请选择要导入的CSV文件")
    # A Windows browser may send the whole path as the file's name.
    return LegacyUpload(filename=PureWindowsPath(form.filename or "").name or "未命名.csv", data=form.file)


@dataclass
class LegacyUploadOperation(Operation):
    """``POST /legacy/loads``: ``multipart/form-data`` with one ``file`` (the CSV export)."""

    def __post_init__(self) -> None:
        file = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description="旧系统人员导出CSV文件")
        form = Schema(type=OpenAPIType.OBJECT, required=["file"], properties={"file": file})
        self.request_body = RequestBody(required=True, content={"multipart/form-data": OpenAPIMediaType(schema=form)})


@dataclass
class LegacyReportOperation(Operation):
    """``GET /legacy/loads/{id}/report``: the rejected rows, CSV (行号,列,原因) with a UTF-8 BOM."""

    def __post_init__(self) -> None:
        content = {REPORT_TYPE: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))}
        self.responses = {
            **(self.responses or {}),
            "200": OpenAPIResponse(description="The rejected rows' report", content=content),
        }
