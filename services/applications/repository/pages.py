"""SQL of 信息填报: the values and uploads saved on each page of a work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from services.kernel.db import Connection

from ..model.prefill import FILED_STATES, EarlierPage
from ..model.work import SavedPage

__all__ = ["approved_values", "earlier_page", "of_work", "save"]

_OF_WORK = """
SELECT page_key, field_values, documents, saved_at FROM application_pages WHERE application_id = $1"""
_SAVE = """
INSERT INTO application_pages (application_id, page_key, field_values, documents, saved_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (application_id, page_key)
DO UPDATE SET field_values = EXCLUDED.field_values, documents = EXCLUDED.documents, saved_at = EXCLUDED.saved_at"""


async def of_work(conn: Connection, application_id: str) -> dict[str, SavedPage]:
    """Every saved page of the work, by key."""
    rows = await conn.fetch(_OF_WORK, application_id)
    return {
        row["page_key"]: SavedPage(
            key=row["page_key"], values=row["field_values"], documents=row["documents"], saved_at=row["saved_at"]
        )
        for row in rows
    }


async def save(
    conn: Connection,
    application_id: str,
    key: str,
    values: Mapping[str, Any],
    documents: Mapping[str, list[str]],
    saved_at: dt.datetime,
) -> SavedPage:
    """保存: replace the page's values and uploads."""
    await conn.execute(_SAVE, application_id, key, dict(values), dict(documents), saved_at)
    return SavedPage(key=key, values=values, documents=documents, saved_at=saved_at)


_APPROVED = """
SELECT p.page_key, p.field_values FROM application_pages p JOIN applications a ON a.id = p.application_id
WHERE a.unit_id = $1 AND a.state = 'approved' AND p.page_key = ANY($2::text[])
ORDER BY a.submitted_at NULLS FIRST, a.created_at"""


async def approved_values(conn: Connection, unit_id: str, keys: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """(page key, values) of the unit's approved work's pages ``keys``, oldest first."""
    rows = await conn.fetch(_APPROVED, unit_id, list(keys))
    return [(row["page_key"], row["field_values"]) for row in rows]


# The unit's filed work that saved the page: the last approved first (by 批准 date), else the most
# recently submitted. One query: the unit's rows by applications_unit_list, each page by its key.
_EARLIER = """
SELECT a.id::text AS application_id, a.application_type, a.state, a.submitted_at, p.field_values, p.documents
FROM applications a JOIN application_pages p ON p.application_id = a.id AND p.page_key = $2
WHERE a.unit_id = $1 AND a.id <> $3 AND a.state = ANY($4::text[])
ORDER BY a.state = 'approved' DESC, CASE WHEN a.state = 'approved' THEN a.decided_on END DESC NULLS LAST,
  a.submitted_at DESC NULLS LAST, a.id DESC
LIMIT 1"""


async def earlier_page(conn: Connection, unit_id: str, key: str, application_id: str) -> EarlierPage | None:
    """Page ``key`` as saved on the unit's own filed work other than ``application_id`` (see
    ``model.prefill``); None when no such work saved it."""
    row = await conn.fetchrow(_EARLIER, unit_id, key, application_id, list(FILED_STATES))
    if row is None:
        return None
    return EarlierPage(
        application_id=row["application_id"],
        application_type=row["application_type"],
        state=row["state"],
        submitted_at=row["submitted_at"],
        values=row["field_values"],
        documents=row["documents"],
    )
