"""Checking the documents a unit attaches: each exists, is the unit's, is not deleted, and has the
purpose it is attached for (manual 5.5.3).

What staffing knows of documents is a replica fed by documents' events. A document uploaded a
moment ago may not have reached it yet, so an unknown id is asked of the documents service with
the caller's own token (documents answers 404 for another unit's document) and remembered.
Called before the writing unit of work opens, so no transaction waits on the network.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from contracts.documents.api import Document
from contracts.staffing import api
from services.kernel import NotFoundError, ServiceClient, UnitOfWork

from .. import errors
from ..repository.attachments import KnownDocument, KnownDocuments
from .entries import uuid_of

__all__ = ["verified"]


async def verified(
    documents: Sequence[api.Attachment],
    *,
    unit_id: str,
    allowed: frozenset[str],
    what: str,
    uow: UnitOfWork,
    services: ServiceClient,
    token: str,
) -> list[tuple[str, uuid.UUID]]:
    """The (purpose, document id) pairs to attach, without repeats; refuses the first unusable one.

    ``allowed``: the purposes an entry of this kind takes; ``what``: its name (技术人员, …).
    """
    wanted: list[tuple[int, str, uuid.UUID]] = []
    for index, attachment in enumerate(documents):
        if attachment.purpose not in allowed:
            raise errors.InvalidFieldError(
                f"documents[{index}].purpose", f"「{attachment.purpose}」不是{what}需要的材料类型，请重新选择"
            )
        document_id = uuid_of(attachment.document_id)
        if document_id is None:
            raise errors.DocumentNotUsableError(index, purpose=attachment.purpose, actual=None)
        wanted.append((index, attachment.purpose, document_id))
    if not wanted:
        return []
    async with uow.reading() as conn:
        known = await KnownDocuments(conn).get([d for _, _, d in wanted])
    for index, purpose, document_id in wanted:
        found = known.get(document_id) or await _ask(document_id, unit_id, uow, services, token)
        known[document_id] = found  # type: ignore[assignment]
        if found is None or found.unit_id != unit_id or found.deleted:
            raise errors.DocumentNotUsableError(index, purpose=purpose, actual=None)
        if found.purpose != purpose:
            raise errors.DocumentNotUsableError(index, purpose=purpose, actual=found.purpose)
    return list(dict.fromkeys((purpose, document_id) for _, purpose, document_id in wanted))


async def _ask(
    document_id: uuid.UUID, unit_id: str, uow: UnitOfWork, services: ServiceClient, token: str
) -> KnownDocument | None:
    """The documents service's answer for the caller (None: no such document of the caller's)."""
    try:
        document = await services.call(
            "documents", "GET", f"/documents/{document_id}", response_type=Document, token=token or None
        )
    except NotFoundError:
        return None
    async with uow.reading() as conn:
        await KnownDocuments(conn).remember(document_id, unit_id, document.purpose)
    return KnownDocument(document_id=document_id, unit_id=unit_id, purpose=document.purpose, deleted=False)
