"""冻结: the applications service freezes an application's documents when the unit submits it —
all of them or none, once per (application, revision)."""

from __future__ import annotations

import uuid

from contracts.auth import Caller
from contracts.documents import api
from services.kernel import UnitOfWork

from .. import errors, model, repository

__all__ = ["freeze"]


async def freeze(request: api.FreezeRequest, caller: Caller, uow: UnitOfWork) -> tuple[api.Freeze, bool]:
    """The freeze and whether this call made it (False: the same request was made before).

    Refused, with nothing frozen, when a document is missing, deleted or another unit's (the
    offending ids named), or when this (application, revision) froze other documents before.
    """
    wanted = list(dict.fromkeys(request.document_ids))
    ids = {text: model.parse_id(text) for text in wanted}
    unparsable = [text for text, parsed in ids.items() if parsed is None]
    if unparsable:
        raise errors.DocumentsNotFreezableError(unparsable)
    order = [parsed for parsed in ids.values() if parsed is not None]
    async with uow:
        freezes = repository.Freezes(uow.conn)
        created_at = await freezes.add(request)
        if created_at is None:
            return _same_as_before(request, order, await freezes.get(request.application_id, request.revision)), False
        frozen = {
            document.id: document for document in await repository.Documents(uow.conn).freeze(order, request.unit_id)
        }
        missing = [text for text, parsed in ids.items() if parsed not in frozen]
        if missing:
            raise errors.DocumentsNotFreezableError(missing)
        await freezes.hold(request, order)
        uow.emit(model.frozen_event(request, [frozen[parsed] for parsed in order]))
        await uow.commit()
    made = api.Freeze(
        application_id=request.application_id,
        revision=request.revision,
        unit_id=request.unit_id,
        jurisdiction=request.jurisdiction,
        document_ids=[str(parsed) for parsed in order],
        created_at=created_at,
    )
    return made, True


def _same_as_before(request: api.FreezeRequest, order: list[uuid.UUID], before: api.Freeze | None) -> api.Freeze:
    same = (
        before is not None
        and (before.unit_id, before.jurisdiction) == (request.unit_id, request.jurisdiction)
        and set(before.document_ids) == {str(parsed) for parsed in order}
    )
    if not same or before is None:
        raise errors.FreezeMismatchError()
    return before
