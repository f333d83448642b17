"""DocumentController: 上传 (POST), the unit's list, one document's metadata, and 删除."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from contracts.auth import Caller
from contracts.documents import api
from services.kernel import UnitOfWork, unit_scope
from services.kernel.openapi import refusals

from .. import errors, handlers, model
from ..decoding import Decoding
from ..rules import MAX_PAGE_SIZE
from ..storage import Store, StoreUnavailableError
from .openapi import UploadOperation
from .uploads import read_upload

_UPLOAD_REFUSALS = refusals(
    errors.InvalidUploadError,
    errors.MissingFileError,
    errors.MultipleFilesError,
    errors.EmptyFileError,
    errors.InvalidPurposeError,
    errors.FileTooLargeError,
    errors.QuotaExceededError,
    errors.UnsupportedTypeError,
    errors.ContentMismatchError,
    errors.CorruptFileError,
    errors.DecompressionBombError,
    errors.PolyglotError,
    errors.UnsafePdfError,
    StoreUnavailableError,
)


class DocumentController(Controller):
    path = "/documents"
    tags = ("documents",)

    @post(
        "/",
        operation_id="UploadDocument",
        guards=[unit_scope],
        status_code=201,
        request_max_body_size=None,  # read_upload enforces DOCUMENTS_MAX_BYTES as the body streams in
        operation_class=UploadOperation,
        responses=_UPLOAD_REFUSALS,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        store: NamedDependency[Store],
        decoding: NamedDependency[Decoding],
        limits: NamedDependency[model.Limits],
    ) -> api.Document:
        upload = await read_upload(request, max_bytes=limits.max_bytes)
        return await handlers.store_document(upload, caller, uow, store=store, decoding=decoding, limits=limits)

    @get("/", operation_id="ListDocuments", guards=[unit_scope])
    async def list_documents(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        purpose: FromQuery[api.Purpose | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.DocumentPage:
        return await handlers.list_documents(caller, uow, purpose=purpose, page=page, page_size=page_size)

    @get("/{document_id:str}", operation_id="GetDocument", responses=refusals(errors.DocumentNotFoundError))
    async def get_document(
        self, document_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.Document:
        return await handlers.get_document(document_id, caller, uow)

    @delete(
        "/{document_id:str}",
        operation_id="DeleteDocument",
        guards=[unit_scope],
        responses=refusals(errors.DocumentNotFoundError, errors.DocumentFrozenError),
    )
    async def delete_document(
        self, document_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> None:
        await handlers.delete_document(document_id, caller, uow)
