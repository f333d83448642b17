"""OpenAPI descriptions of the registry's non-JSON bodies: the PDF, the CSV and the PDF upload."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

__all__ = ["CsvOperation", "PdfOperation", "PdfUploadOperation"]


@dataclass
class PdfOperation(Operation):
    """A signed 电子证书 (application/pdf)."""

    def __post_init__(self) -> None:
        schema = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        self.responses = {
            **(self.responses or {}),
            "200": OpenAPIResponse(
                description="电子证书", content={"application/pdf": OpenAPIMediaType(schema=schema)}
            ),
        }


@dataclass
class CsvOperation(Operation):
    """The register as CSV (UTF-8 with BOM)."""

    def __post_init__(self) -> None:
        content = {"text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))}
        self.responses = {**(self.responses or {}), "200": OpenAPIResponse(description="证书登记", content=content)}


@dataclass
class PdfUploadOperation(Operation):
    """``multipart/form-data`` with one ``file``: the 电子证书 PDF to verify."""

    def __post_init__(self) -> None:
        file = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description="电子证书PDF文件")
        form = Schema(type=OpenAPIType.OBJECT, required=["file"], properties={"file": file})
        self.request_body = RequestBody(required=True, content={"multipart/form-data": OpenAPIMediaType(schema=form)})
