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

__all__ = [
    "CERTIFICATE_FILE_TYPE",
    "CertificateFileOperation",
    "CsvOperation",
    "PdfOperation",
    "PdfUploadOperation",
    "attachment",
]

CERTIFICATE_FILE_TYPE = "application/pkix-cert"
"""A DER X.509 certificate (RFC 2585), the ``.cer`` a PDF reader imports."""


def attachment(filename: str, fallback: str) -> dict[str, str]:
    """``Content-Disposition`` of a download named ``filename`` (UTF-8), ``fallback`` for old clients."""
    from urllib.parse import quote

    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}


def _binary(description: str, media_type: str) -> dict[str, OpenAPIResponse]:
    schema = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
    return {"200": OpenAPIResponse(description=description, content={media_type: OpenAPIMediaType(schema=schema)})}


@dataclass
class PdfOperation(Operation):
    """A signed 电子证书 (application/pdf)."""

    def __post_init__(self) -> None:
        self.responses = {**(self.responses or {}), **_binary("电子证书", "application/pdf")}


@dataclass
class CertificateFileOperation(Operation):
    """An X.509 certificate of the signature's chain (DER, application/pkix-cert)."""

    def __post_init__(self) -> None:
        self.responses = {**(self.responses or {}), **_binary("X.509证书（DER）", CERTIFICATE_FILE_TYPE)}


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
