"""SQL of the 审批记录: append an entry, read a work's entries oldest first. The table refuses
UPDATE, DELETE and TRUNCATE by trigger (migration 0004): there is no other statement here.
jsonb columns go through the kernel pool's JSON codec (Python lists and dicts both ways)."""

from __future__ import annotations

from typing import Any

from services.kernel.db import Connection

from ..model.records import RETURN, Entry

__all__ = ["append", "latest_returns", "of_work"]

_APPEND = """
INSERT INTO review_records (application_id, revision, action, from_state, to_state, actor_account, actor_name,
  actor_role, authority_name, opinion, reasons, attachments, notice, details)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14::jsonb)"""
_OF_WORK = """
SELECT id, application_id::text, revision, action, from_state, to_state, actor_account, actor_name, actor_role,
  authority_name, opinion, reasons, attachments, notice, details, recorded_at
FROM review_records WHERE application_id = $1 ORDER BY id"""
_LATEST_RETURNS = """
SELECT DISTINCT ON (application_id) id, application_id::text, revision, action, from_state, to_state, actor_account,
  actor_name, actor_role, authority_name, opinion, reasons, attachments, notice, details, recorded_at
FROM review_records WHERE application_id = ANY($1::uuid[]) AND action = $2 ORDER BY application_id, id DESC"""


async def append(conn: Connection, entry: Entry) -> None:
    await conn.execute(
        _APPEND,
        *(entry.application_id, entry.revision, entry.action, entry.from_state, entry.to_state),
        *(entry.actor_account, entry.actor_name, entry.actor_role, entry.authority_name, entry.opinion),
        list(entry.reasons),
        list(entry.attachments),
        entry.notice,
        dict(entry.details),
    )


def _entry(row: Any) -> Entry:
    plain = {key: value for key, value in row.items() if key not in ("reasons", "attachments", "details")}
    return Entry(
        **plain,
        reasons=tuple(str(r) for r in row["reasons"]),
        attachments=tuple(str(a) for a in row["attachments"]),
        details={str(k): str(v) for k, v in row["details"].items()},
    )


async def of_work(conn: Connection, application_id: str) -> list[Entry]:
    return [_entry(row) for row in await conn.fetch(_OF_WORK, application_id)]


async def latest_returns(conn: Connection, application_ids: list[str]) -> dict[str, Entry]:
    """The latest 退回补齐 entry of each of the works (those never returned are left out)."""
    if not application_ids:
        return {}
    rows = await conn.fetch(_LATEST_RETURNS, application_ids, RETURN)
    return {row["application_id"]: _entry(row) for row in rows}
