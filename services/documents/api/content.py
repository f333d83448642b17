"""ContentController: a document's bytes (streamed, type sniffed at upload, RFC 6266 name) and its
preview, for whoever may read the document."""

from __future__ import annotations

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response.streaming import ASGIStreamingResponse

from contracts.auth import Caller
from contracts.documents import api
from services.kernel import UnitOfWork
from services.kernel.openapi import refusals

from .. import errors, handlers
from ..decoding import Decoding
from ..rules import Kind
from ..storage import Store, StoreUnavailableError
from .disposition import content_disposition
from .openapi import ContentOperation, PreviewOperation

_CACHE = "private, max-age=300"
"""The bytes of an id never change; a reader's browser may keep them a few minutes."""


class ContentController(Controller):
    path = "/documents"
    tags = ("documents",)

    @get(
        "/{document_id:str}/content",
        operation_id="GetDocumentContent",
        operation_class=ContentOperation,
        media_type=MediaType.JSON,  # refusals are the JSON ErrorBody; the bytes carry their own type
        responses=refusals(errors.DocumentNotFoundError, StoreUnavailableError),
    )
    async def content(
        self,
        document_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        store: NamedDependency[Store],
        disposition: FromQuery[api.Disposition] = "attachment",
    ) -> ASGIStreamingResponse:
        found = await handlers.open_content(document_id, caller, uow, store=store)
        document = found.document
        name = content_disposition(
            document.filename, extension=Kind(document.content_type).extension, inline=disposition == "inline"
        )
        headers = _safe_headers(
            Content_Disposition=name, ETag=f'"{document.sha256}"', Content_Length=str(document.size)
        )
        return ASGIStreamingResponse(iterator=found.chunks, media_type=document.content_type, headers=headers)

    @get(
        "/{document_id:str}/preview",
        operation_id="GetDocumentPreview",
        operation_class=PreviewOperation,
        media_type=MediaType.JSON,
        responses=refusals(errors.DocumentNotFoundError, errors.CorruptFileError, StoreUnavailableError),
    )
    async def preview(
        self,
        document_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        store: NamedDependency[Store],
        decoding: NamedDependency[Decoding],
    ) -> Response[bytes]:
        jpeg = await handlers.preview(document_id, caller, uow, store=store, decoding=decoding)
        return Response(jpeg, media_type="image/jpeg", headers=_safe_headers())


def _safe_headers(**extra: str) -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": _CACHE,
        **{name.replace("_", "-"): value for name, value in extra.items()},
    }
