"""SQL of the workflow's columns of a work: read them (locked for a transition) and write the next
step under the expected version, so of two concurrent writers exactly one wins."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import msgspec

from contracts.standards.api import Evaluation
from services.kernel.db import Connection

__all__ = ["Progress", "attempt", "deemable", "evaluation", "load", "open_since", "save", "set_dues", "submit"]

_COLUMNS = """
id::text, unit_id::text, jurisdiction, state, version, revision, holder_account_id, holder_name, claimed_at,
submitted_on, accept_due, accepted_on, decision_due, decided_on, extended, deemed, reviewed_revision,
evaluation_overall, snapshot_id::text, submitted_at"""
_LOAD = f"SELECT {_COLUMNS} FROM applications WHERE id = $1"
_SAVE = """
UPDATE applications SET version = version + 1, updated_at = now(), state = $3, holder_account_id = $4,
  holder_name = $5, claimed_at = $6, accepted_on = $7, decision_due = $8, decided_on = $9, extended = $10,
  deemed = $11, reviewed_revision = $12
WHERE id = $1 AND version = $2
RETURNING version"""
_SUBMIT = """
UPDATE applications SET version = version + 1, updated_at = $3, state = 'submitted', revision = $4,
  snapshot_id = $5::uuid, evaluation = $6::jsonb, evaluation_overall = $7, submitted_at = $3, submitted_on = $8,
  accept_due = $9, accepted_on = NULL, decision_due = NULL, decided_on = NULL, extended = false, deemed = false,
  holder_account_id = NULL, holder_name = NULL, claimed_at = NULL
WHERE id = $1 AND version = $2 AND state = ANY($10::text[])
RETURNING version"""
_OPEN_SINCE = f"""
SELECT {_COLUMNS} FROM applications WHERE state IN ('submitted', 'accepted') AND deadline >= $1 ORDER BY id"""
_ATTEMPT = """
UPDATE applications SET attempted_revision = GREATEST(attempted_revision, revision) + 1
WHERE id = $1 AND version = $2 AND state = ANY($3::text[])
RETURNING attempted_revision"""
_EVALUATION = "SELECT evaluation::text FROM applications WHERE id = $1"
_SET_DUES = "UPDATE applications SET accept_due = $2, decision_due = $3 WHERE id = $1"
_DEEMABLE = """
SELECT id::text FROM applications WHERE state = 'submitted' AND accept_due < $1 ORDER BY accept_due, id LIMIT $2"""


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a work stands in the workflow (the columns migration 0004 added, with its head)."""

    id: str
    unit_id: str
    jurisdiction: str
    state: str
    version: int
    revision: int
    holder_account_id: str | None = None
    holder_name: str | None = None
    claimed_at: dt.datetime | None = None
    submitted_on: dt.date | None = None
    accept_due: dt.date | None = None
    accepted_on: dt.date | None = None
    decision_due: dt.date | None = None
    decided_on: dt.date | None = None
    extended: bool = False
    deemed: bool = False
    reviewed_revision: int | None = None
    evaluation_overall: str | None = None
    snapshot_id: str | None = None
    submitted_at: dt.datetime | None = None

    @property
    def reviewed(self) -> bool:
        """审查 gave its opinion on the current revision."""
        return self.reviewed_revision is not None and self.reviewed_revision == self.revision

    @property
    def deadline(self) -> dt.date | None:
        """The current step's last day (the generated column ``deadline``)."""
        return {"submitted": self.accept_due, "accepted": self.decision_due}.get(self.state)


def _progress(row: Any) -> Progress:
    return Progress(**dict(row.items()))


async def load(conn: Connection, application_id: str, *, lock: bool = False) -> Progress | None:
    """The work's progress; ``lock`` takes the row FOR UPDATE (a transition that checks the version)."""
    row = await conn.fetchrow(_LOAD + (" FOR UPDATE" if lock else ""), application_id)
    return _progress(row) if row is not None else None


async def save(conn: Connection, step: Progress, *, expected_version: int) -> int | None:
    """Write ``step`` if the work is still at ``expected_version``: the new version, else None."""
    values = asdict(step)
    found = await conn.fetchval(
        _SAVE,
        step.id,
        expected_version,
        *(values[k] for k in ("state", "holder_account_id", "holder_name", "claimed_at", "accepted_on")),
        *(values[k] for k in ("decision_due", "decided_on", "extended", "deemed", "reviewed_revision")),
    )
    return int(found) if found is not None else None


async def submit(
    conn: Connection,
    application_id: str,
    *,
    expected_version: int,
    from_states: list[str],
    revision: int,
    snapshot_id: str | None,
    evaluation: object,
    overall: str | None,
    at: dt.datetime,
    on: dt.date,
    accept_due: dt.date,
) -> int | None:
    """提交: the work becomes ``submitted`` at ``revision``; the new version, or None when the
    version moved or the state no longer allows it."""
    encoded = msgspec.to_builtins(evaluation) if evaluation is not None else None
    found = await conn.fetchval(
        _SUBMIT,
        *(application_id, expected_version, at, revision, snapshot_id, encoded, overall, on, accept_due),
        from_states,
    )
    return int(found) if found is not None else None


async def attempt(
    conn: Connection, application_id: str, *, expected_version: int, from_states: list[str]
) -> int | None:
    """提交 attempted: the revision it takes (the next after every earlier attempt's), or None when
    the version moved or the state no longer allows 提交. The version stays."""
    found = await conn.fetchval(_ATTEMPT, application_id, expected_version, from_states)
    return int(found) if found is not None else None


async def evaluation(conn: Connection, application_id: str) -> Evaluation | None:
    """The standards' Evaluation stored at the work's last 提交 (None without a roster)."""
    text = await conn.fetchval(_EVALUATION, application_id)
    return msgspec.json.decode(text, type=Evaluation) if text else None


async def deemable(conn: Connection, today: dt.date, *, limit: int = 100) -> list[str]:
    """Submitted work whose acceptance deadline passed before ``today`` (index applications_accept_due)."""
    return [row["id"] for row in await conn.fetch(_DEEMABLE, today, limit)]


async def open_since(conn: Connection, day: dt.date) -> list[Progress]:
    """Open work whose current deadline is on or after ``day`` (a calendar change may move it)."""
    return [_progress(row) for row in await conn.fetch(_OPEN_SINCE, day)]


async def set_dues(conn: Connection, step: Progress) -> None:
    """The deadlines counted again (the version stays: nobody's form is stale for it)."""
    await conn.execute(_SET_DUES, step.id, step.accept_due, step.decision_due)
