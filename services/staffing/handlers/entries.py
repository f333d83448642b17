"""What staffing's use cases share: the caller's unit, an entry's id from the path,
its attachments after a write, and one page of a filtered list."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from contracts.auth import Caller
from services.kernel import DomainError, UnitOfWork

from ..model.completeness import Attached
from ..repository.attachments import Attachments

__all__ = ["attach", "now", "page_of", "parse_id", "unit_of", "uuid_of"]

T = TypeVar("T")


def unit_of(caller: Caller, not_found: Callable[[], DomainError]) -> str:
    """The caller's unit (the controllers' ``unit_scope`` guard lets only unit callers in)."""
    if caller.unit_id is None:
        raise not_found()
    return caller.unit_id


def uuid_of(text: str) -> uuid.UUID | None:
    """The UUID ``text`` spells (any of the spellings ``uuid.UUID`` reads), or None."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def parse_id(text: str, not_found: Callable[[], DomainError]) -> uuid.UUID:
    """The id of a path; one that is not a UUID names an entry that does not exist."""
    found = uuid_of(text)
    if found is None:
        raise not_found()
    return found


async def attach(
    uow: UnitOfWork, owner_id: uuid.UUID, documents: Sequence[tuple[str, uuid.UUID]], *, new: bool = False
) -> list[Attached]:
    """Inside the open unit of work: the owner's attachments become ``documents``; as they now are.
    ``new``: the owner was created in this unit of work (it has none to replace)."""
    attachments = Attachments(uow.conn)
    return await (attachments.add if new else attachments.replace)(owner_id, documents)


def page_of(items: Sequence[T], *, page: int, page_size: int) -> list[T]:
    """Page ``page`` (from 1) of ``items``."""
    start = (page - 1) * page_size
    return list(items[start : start + page_size])


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
