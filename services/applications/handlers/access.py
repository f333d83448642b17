"""Who may see a piece of work: its unit (everything), an authority covering its jurisdiction
(submitted work), nobody else — and whoever may not see it gets 404, as for a missing id."""

from __future__ import annotations

import uuid

from contracts.auth import Caller
from services.kernel import may_act_in
from services.kernel.db import Connection

from .. import errors
from ..model.work import Work
from ..repository import works

__all__ = ["may_read", "owned_work", "readable_work", "unit_of"]


def may_read(caller: Caller, work: Work) -> bool:
    """The owner always; an authority within jurisdiction once the work was submitted."""
    if caller.role == "unit":
        return unit_of(caller) == work.unit_id
    return may_act_in(caller, work.jurisdiction) and work.revision >= 0


async def readable_work(conn: Connection, application_id: str, caller: Caller) -> Work:
    canonical = _canonical(application_id)
    work = await works.load(conn, canonical) if canonical else None
    if work is None or not may_read(caller, work):
        raise errors.WorkNotFoundError()
    return work


async def owned_work(conn: Connection, application_id: str, caller: Caller, *, lock: bool = False) -> Work:
    """The caller unit's own work (loaded FOR UPDATE when ``lock``); else 404."""
    canonical = _canonical(application_id)
    work = await works.load(conn, canonical, lock=lock) if canonical else None
    if work is None or caller.role != "unit" or work.unit_id != unit_of(caller):
        raise errors.WorkNotFoundError()
    return work


def unit_of(caller: Caller) -> str | None:
    """The caller's unit id in its canonical spelling; None when the token names no unit id a unit
    could have (such a caller owns nothing: its lists are empty, its unit is unknown)."""
    return _canonical(caller.unit_id) if caller.unit_id else None


def _canonical(value: str) -> str | None:
    """The id in its canonical spelling (any spelling uuid accepts), or None when it is no id."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
