"""SQL of the work (工作): create, read (with its pages, unit and certificates), list, delete.

One piece of work in progress per unit is decided by the partial unique index
``applications_one_in_progress``: ``insert`` lets the unique violation surface and the handler
turns it into 409. Every unit-facing read takes the unit id, so another unit's work is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.kernel.db import Connection

from ..data import catalog as load_catalog
from ..model.types import Catalog
from ..model.work import Work
from . import pages, records, replicas

__all__ = ["NewWork", "WorkRow", "delete_draft", "insert", "list_of_unit", "load", "load_row", "touch", "with_returns"]

_ROW = """
id::text, unit_id::text, unit_name, credit_code, application_type, certificate_type, jurisdiction, state,
version, revision, certificate_number, snapshot_id::text, submitted_at, created_at, accept_due, accepted_on,
decision_due, deemed, deadline"""
_LOAD = f"SELECT {_ROW} FROM applications WHERE id = $1"
_LIST = f"""
SELECT {_ROW} FROM applications WHERE unit_id = $1
ORDER BY created_at DESC, applications.id DESC LIMIT $2 OFFSET $3"""
_COUNT = "SELECT count(*) FROM applications WHERE unit_id = $1"
_INSERT = """
INSERT INTO applications (id, unit_id, credit_code, unit_name, application_type, certificate_type, jurisdiction,
  certificate_number, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"""
_DELETE = """
DELETE FROM applications WHERE id = $1 AND unit_id = $2 AND state = 'draft' AND revision = -1 AND version = $3
RETURNING id"""
_TOUCH = """
UPDATE applications SET version = version + 1, updated_at = $4, jurisdiction = COALESCE($5, jurisdiction)
WHERE id = $1 AND version = $2 AND state = ANY($3::text[])
RETURNING version"""


@dataclass(frozen=True, slots=True)
class NewWork:
    id: str
    unit_id: str
    credit_code: str
    unit_name: str
    application_type: str
    certificate_type: str
    jurisdiction: str
    certificate_number: str | None
    created_at: dt.datetime


WorkRow = dict[str, Any]


def _work(row: Any, catalog: Catalog) -> Work:
    return Work(**dict(row.items()), layout=catalog.layout_of(row["application_type"]))


async def load(
    conn: Connection, application_id: str, *, catalog: Catalog | None = None, lock: bool = False
) -> Work | None:
    """The work with its saved pages, the unit's record and its valid certificates; None if missing.
    ``lock`` takes the row FOR UPDATE (a writer that checks the version)."""
    row = await conn.fetchrow(_LOAD + (" FOR UPDATE" if lock else ""), application_id)
    if row is None:
        return None
    work = _work(row, catalog or load_catalog())
    work.pages = await pages.of_work(conn, application_id)
    work.unit = await replicas.unit(conn, work.unit_id)
    work.held = await replicas.held_certificates(conn, work.unit_id, work.credit_code)
    await with_returns(conn, [work])
    return work


async def with_returns(conn: Connection, found: list[Work]) -> None:
    """Each returned work's latest 退回补齐 entry (``Work.returned_by``)."""
    returned = await records.latest_returns(conn, [w.id for w in found if w.state == "returned"])
    for work in found:
        work.returned_by = returned.get(work.id)


async def load_row(conn: Connection, application_id: str, *, catalog: Catalog | None = None) -> Work | None:
    """The work's row only (no pages or replicas): enough to decide who may see it."""
    row = await conn.fetchrow(_LOAD, application_id)
    return _work(row, catalog or load_catalog()) if row is not None else None


async def list_of_unit(
    conn: Connection, unit_id: str, *, page: int, page_size: int, catalog: Catalog | None = None
) -> tuple[list[Work], int]:
    """One page of the unit's work, newest first, and the total (index applications_unit_list: the
    order is the index's, ties broken on the uuid column; a short first page is its own total)."""
    offset = (page - 1) * page_size
    rows = await conn.fetch(_LIST, unit_id, page_size, offset)
    short_first = offset == 0 and len(rows) < page_size
    total = len(rows) if short_first else int(await conn.fetchval(_COUNT, unit_id))
    chosen = catalog or load_catalog()
    found = [_work(row, chosen) for row in rows]
    await with_returns(conn, found)
    return found, total


async def insert(conn: Connection, new: NewWork) -> None:
    """新建工作; raises asyncpg.UniqueViolationError when the unit has work in progress."""
    await conn.execute(
        _INSERT,
        *(new.id, new.unit_id, new.credit_code, new.unit_name, new.application_type, new.certificate_type),
        *(new.jurisdiction, new.certificate_number, new.created_at),
    )


async def delete_draft(conn: Connection, application_id: str, unit_id: str, version: int) -> bool:
    """删除 a never-submitted draft at ``version`` (its pages go with it)."""
    return await conn.fetchval(_DELETE, application_id, unit_id, version) is not None


async def touch(
    conn: Connection,
    application_id: str,
    *,
    expected_version: int,
    states: tuple[str, ...],
    now: dt.datetime,
    jurisdiction: str | None = None,
) -> int | None:
    """+1 on the version when it is still ``expected_version`` in one of ``states``; the new
    version, or None when someone else changed the work first."""
    found = await conn.fetchval(_TOUCH, application_id, expected_version, list(states), now, jurisdiction)
    return int(found) if found is not None else None
