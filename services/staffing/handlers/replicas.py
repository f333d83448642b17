"""Replicas of other services' facts, fed by their events: identity's units (the holder's name in a
conflict, the jurisdiction an authority covers) and documents' documents (a deleted document
makes the entries it is attached to incomplete again)."""

from __future__ import annotations

import logging
import uuid

from contracts.documents.events import DocumentDeleted, DocumentStored
from contracts.identity.events import UnitAccountRegistered, UnitAccountRegisteredV2, UnitVerified
from services.kernel import UnitOfWork, province_of_credit_code

from ..repository.attachments import KnownDocuments
from ..repository.replicas import Units
from ..rules import PROVINCE_CODES
from .entries import uuid_of

__all__ = ["forget_document", "jurisdiction_of", "record_unit", "remember_document"]

logger = logging.getLogger(__name__)


def jurisdiction_of(credit_code: str) -> str:
    """The province of a unit by its 统一社会信用代码 (characters 3–8 are a division code, GB
    32100-2015); when they are not, the province characters 3–4 name; '' when that is no province."""
    try:
        province = province_of_credit_code(credit_code)
    except ValueError:
        province = f"{credit_code[2:4]}0000"
    head = province[:2]
    return province if head.isascii() and head.isdigit() and int(head) in PROVINCE_CODES else ""


async def record_unit(event: UnitAccountRegistered | UnitAccountRegisteredV2 | UnitVerified, uow: UnitOfWork) -> None:
    """单位注册: the unit's name, credit code and province; 单位已核实 (UnitVerified) also makes the
    credit code the unit's own (its certificates count before they are linked to it)."""
    async with uow:
        await Units(uow.conn).record(
            event.unit_id,
            unit_name=event.unit_name,
            credit_code=event.credit_code,
            jurisdiction=jurisdiction_of(event.credit_code),
            at=event.occurred_at,
            verified=isinstance(event, UnitVerified),
        )
        await uow.commit()


async def remember_document(event: DocumentStored, uow: UnitOfWork) -> None:
    """材料已上传: its unit and purpose, for checking an attachment without asking documents."""
    document_id = _parse(event.document_id)
    if document_id is None:
        return
    async with uow:
        await KnownDocuments(uow.conn).remember(document_id, event.unit_id, event.purpose)
        await uow.commit()


async def forget_document(event: DocumentDeleted, uow: UnitOfWork) -> None:
    """材料已删除: the entries it is attached to no longer count until another is attached."""
    document_id = _parse(event.document_id)
    if document_id is None:
        return
    async with uow:
        await KnownDocuments(uow.conn).forget(document_id, event.unit_id, event.purpose)
        await uow.commit()


def _parse(value: str) -> uuid.UUID | None:
    found = uuid_of(value)
    if found is None:
        logger.warning("document id %r is not a UUID: ignored", value)
    return found
