"""Reads: the purposes, a unit's listing, one document's metadata, its bytes and its preview —
each for whoever may read it (model.Document.readable_by); 404 for everyone else."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from contracts.auth import Caller
from contracts.documents import api
from services.kernel import UnitOfWork

from .. import errors, model, repository, rules
from ..decoding import Decoding
from ..storage import ObjectMissingError, Store

__all__ = ["Content", "get_document", "list_documents", "open_content", "preview", "purposes"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Content:
    """A document's metadata and its bytes, opened and ready to stream."""

    document: api.Document
    chunks: AsyncIterator[bytes]


def purposes() -> api.Purposes:
    return api.Purposes(items=[api.PurposeOption(value=value, label=value) for value in rules.PURPOSES])


async def list_documents(
    caller: Caller, uow: UnitOfWork, *, purpose: str | None, page: int, page_size: int
) -> api.DocumentPage:
    """The caller unit's documents (not deleted), newest first."""
    if caller.unit_id is None:
        return api.DocumentPage(items=[], page=page, page_size=page_size, total=0)
    async with uow.reading() as conn:
        found, total = await repository.Documents(conn).page(
            caller.unit_id, purpose=purpose, page=page, page_size=page_size
        )
    return api.DocumentPage(items=[item.as_api() for item in found], page=page, page_size=page_size, total=total)


async def get_document(document_id: str, caller: Caller, uow: UnitOfWork) -> api.Document:
    return (await _readable(document_id, caller, uow)).as_api()


async def open_content(document_id: str, caller: Caller, uow: UnitOfWork, *, store: Store) -> Content:
    document = await _readable(document_id, caller, uow)
    try:
        chunks = await store.open(document.key)
    except ObjectMissingError:
        logger.error("document %s has a row but no object", document.key)
        raise errors.DocumentNotFoundError() from None
    return Content(document=document.as_api(), chunks=chunks)


async def preview(document_id: str, caller: Caller, uow: UnitOfWork, *, store: Store, decoding: Decoding) -> bytes:
    """A JPEG at most 1024 px on its long side: the image, or the PDF's first page."""
    document = await _readable(document_id, caller, uow)
    try:
        data = await store.get(document.key)
    except ObjectMissingError:
        logger.error("document %s has a row but no object", document.key)
        raise errors.DocumentNotFoundError() from None
    return await decoding.preview(data, document.kind)


async def _readable(document_id: str, caller: Caller, uow: UnitOfWork) -> model.Document:
    wanted = model.parse_id(document_id)
    if wanted is None:
        raise errors.DocumentNotFoundError()
    async with uow.reading() as conn:
        document = await repository.Documents(conn).get(wanted)
    if document is None or not document.readable_by(caller):
        raise errors.DocumentNotFoundError()
    return document
