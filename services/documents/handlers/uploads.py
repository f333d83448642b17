"""上传 and 删除: a unit stores a checked document, or deletes one that is not frozen.

Ordering on upload: the object is recorded as pending, then written, then its row, the unit's
usage and the outbox event are committed in one transaction that also clears the pending record;
when that transaction fails the object (and its record) is deleted again. A crash in between
leaves a pending record, and the orphan sweeper deletes its object after an hour.
"""

from __future__ import annotations

import asyncio
import logging

from contracts.auth import Caller
from contracts.documents import api
from services.kernel import UnitOfWork
from services.kernel.errors import is_outage

from .. import errors, model, repository, rules
from ..decoding import Decoding
from ..storage import Store

__all__ = ["delete_document", "store_document"]

logger = logging.getLogger(__name__)


async def store_document(
    upload: model.Upload, caller: Caller, uow: UnitOfWork, *, store: Store, decoding: Decoding, limits: model.Limits
) -> api.Document:
    """The stored document, or a refusal with nothing left behind (no object, row or event)."""
    purpose = _purpose(upload.purpose)
    kind = await decoding.inspect(upload)
    unit_id = _unit_of(caller)
    document = model.new_document(
        unit_id=unit_id, purpose=purpose, filename=rules.display_name(upload.filename), kind=kind, data=upload.data
    )
    async with uow.reading() as conn:
        if await repository.Usage(conn).used(unit_id) + document.size > limits.quota_bytes:
            raise errors.QuotaExceededError(limits.quota_bytes)
        await repository.PendingObjects(conn).add(document.id)
    try:
        await store.put(document.key, upload.data, content_type=kind.content_type)
        await _record(document, uow, limits)
    except BaseException as exc:
        if not is_outage(exc):  # when the commit's outcome is unknown the sweeper decides, later
            await asyncio.shield(_forget(document, uow, store))
        raise
    return document.as_api()


async def _record(document: model.Document, uow: UnitOfWork, limits: model.Limits) -> None:
    async with uow:
        if not await repository.Usage(uow.conn).reserve(document.unit_id, document.size, quota=limits.quota_bytes):
            raise errors.QuotaExceededError(limits.quota_bytes)
        await repository.Documents(uow.conn).add(document)
        await repository.PendingObjects(uow.conn).drop([document.id])
        uow.emit(document.stored())
        await uow.commit()


async def _forget(document: model.Document, uow: UnitOfWork, store: Store) -> None:
    """Delete the object of a failed upload, then its pending record."""
    try:
        await store.delete(document.key)
        async with uow.reading() as conn:
            await repository.PendingObjects(conn).drop([document.id])
    # Whatever stops this cleanup must not hide why the upload failed; the pending record stays,
    # and the orphan sweeper deletes the object later.
    except Exception as exc:
        logger.warning(
            "left object %s of a failed upload to the sweeper: %s: %s", document.key, type(exc).__name__, exc
        )


async def delete_document(document_id: str, caller: Caller, uow: UnitOfWork) -> None:
    """删除: the unit's own document, unless frozen (409); 404 for any other id."""
    wanted, unit_id = model.parse_id(document_id), _unit_of(caller)
    if wanted is None:
        raise errors.DocumentNotFoundError()
    async with uow:
        documents = repository.Documents(uow.conn)
        deleted = await documents.delete(wanted, unit_id)
        if deleted is None:
            if await documents.is_frozen(wanted, unit_id):
                raise errors.DocumentFrozenError()
            raise errors.DocumentNotFoundError()
        await repository.Usage(uow.conn).release(unit_id, deleted.size)
        uow.emit(deleted.deleted())
        await uow.commit()


def _purpose(value: str | None) -> str:
    if value is None or not value.strip():
        raise errors.InvalidPurposeError(missing=True)
    if not rules.is_purpose(value.strip()):
        raise errors.InvalidPurposeError(missing=False)
    return value.strip()


def _unit_of(caller: Caller) -> str:
    if caller.unit_id is None:  # the unit_scope guard lets no such caller through
        raise errors.DocumentNotFoundError()
    return caller.unit_id
