"""What Litestar cannot infer for the documents' OpenAPI document: the multipart upload body and
the binary answers of ``/content`` and ``/preview``."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)

from contracts.documents.api import PURPOSES

from ..rules import Kind

__all__ = ["ContentOperation", "PreviewOperation", "UploadOperation"]

_BINARY = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
_SAFE: dict[str, OpenAPIHeader | Reference] = {
    "X-Content-Type-Options": OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING, const="nosniff"))
}


@dataclass
class UploadOperation(Operation):
    """``POST /documents``: ``multipart/form-data`` with ``purpose`` and one ``file``."""

    def __post_init__(self) -> None:
        form = Schema(
            type=OpenAPIType.OBJECT,
            required=["purpose", "file"],
            properties={
                "purpose": Schema(type=OpenAPIType.STRING, enum=list(PURPOSES), description="材料类型"),
                "file": Schema(
                    type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description="one jpg, png or pdf file"
                ),
            },
        )
        self.request_body = RequestBody(required=True, content={"multipart/form-data": OpenAPIMediaType(schema=form)})


@dataclass
class ContentOperation(Operation):
    """``GET /documents/{id}/content``: the bytes, with the type their content decided."""

    def __post_init__(self) -> None:
        headers: dict[str, OpenAPIHeader | Reference] = {
            **_SAFE,
            "Content-Disposition": OpenAPIHeader(
                schema=Schema(type=OpenAPIType.STRING), description="RFC 6266: filename and filename*=UTF-8''…"
            ),
        }
        content = {kind.content_type: OpenAPIMediaType(schema=_BINARY) for kind in Kind}
        self.responses = {
            **(self.responses or {}),
            "200": OpenAPIResponse(description="The document's bytes", headers=headers, content=content),
        }


@dataclass
class PreviewOperation(Operation):
    """``GET /documents/{id}/preview``: a JPEG at most 1024 px on its long side."""

    def __post_init__(self) -> None:
        content = {"image/jpeg": OpenAPIMediaType(schema=_BINARY)}
        self.responses = {
            **(self.responses or {}),
            "200": OpenAPIResponse(description="The preview (JPEG)", headers=dict(_SAFE), content=content),
        }
