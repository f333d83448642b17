"""SQL of the authority queue (待办): a jurisdiction's work, filtered, sorted by deadline, paged.

The clauses are chosen from a fixed set (never user text: values are parameters) so each shape
is planned on its own. States are inlined as literals from the workflow's codes, which lets the
planner use the partial indexes WHERE state IN ('submitted', 'accepted'):

- a province's page (a work's jurisdiction is a province code or ``000000``, so a provincial
  authority's filter is ``jurisdiction = $1``) walks ``applications_queue_deadline``
  (jurisdiction, deadline, id) in order and stops after the page: no sort;
- 自然资源部's page (every jurisdiction) walks ``applications_open_deadline`` (deadline, id).

The order breaks ties on the uuid column ``applications.id`` (the output column ``id`` is its
text, which no index orders). The total is a separate count capped at ``COUNT_CAP`` (an index-only
scan that stops there), not ``count(*) OVER ()``, which reads every matching row before LIMIT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.kernel.db import Connection
from services.kernel.jurisdiction import division_prefix

from ..model.workflow import STATES

__all__ = ["COUNT_CAP", "QueueFilter", "QueueRow", "count_query", "page", "query"]

_SELECT = """
SELECT id::text, unit_name, credit_code, application_type, certificate_type, jurisdiction, state, version,
  submitted_at, submitted_on, accepted_on, deadline, deemed, extended,
  reviewed_revision IS NOT DISTINCT FROM revision AS reviewed,
  holder_account_id, holder_name, claimed_at, evaluation_overall
FROM applications"""
_COUNT = "SELECT count(*) FROM (SELECT 1 FROM applications WHERE {where} LIMIT {cap}) AS matching"
_ORDER = {
    "deadline": "deadline ASC NULLS LAST, applications.id",
    "-deadline": "deadline DESC NULLS LAST, applications.id DESC",
    "submitted": "submitted_at ASC NULLS LAST, applications.id",
    "-submitted": "submitted_at DESC NULLS LAST, applications.id DESC",
}
COUNT_CAP = 10_000
"""The queue's total counts at most this many rows (``QueuePage.total_capped`` says when it stopped)."""

QueueRow = dict[str, Any]


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the authority asked for; ``jurisdiction`` is the authority's own division."""

    jurisdiction: str
    states: tuple[str, ...]
    today: dt.date
    category: str | None = None
    q: str | None = None
    overdue: bool | None = None
    sort: str = "deadline"


def _jurisdiction(jurisdiction: str, bind: Callable[[object], str]) -> str | None:
    """The clause for the divisions a jurisdiction covers: a province's own code (work is filed with
    a province code or ``000000``), a smaller division's range, nothing for 自然资源部."""
    prefix = division_prefix(jurisdiction)
    if not prefix:
        return None
    if len(prefix) == 2:
        return f"jurisdiction = {bind(jurisdiction)}"
    high = str(int(prefix) + 1).zfill(len(prefix))
    clause = f"jurisdiction >= {bind(prefix.ljust(6, '0'))}"
    return clause + (f" AND jurisdiction < {bind(high.ljust(6, '0'))}" if len(high) == len(prefix) else "")


def _where(wanted: QueueFilter, bind: Callable[[object], str]) -> str:
    if not wanted.states or not set(wanted.states) <= set(STATES):
        raise ValueError(f"unknown states {wanted.states}")
    clauses = ["state IN (" + ", ".join(f"'{s}'" for s in wanted.states) + ")"]
    covered = _jurisdiction(wanted.jurisdiction, bind)
    if covered is not None:
        clauses.append(covered)
    if wanted.category:
        value = bind(wanted.category)
        clauses.append(f"(application_type = {value} OR certificate_type = {value})")
    if wanted.q:
        text = wanted.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(f"(unit_name ILIKE {bind('%' + text + '%')} OR credit_code = {bind(wanted.q.upper())})")
    if wanted.overdue is not None:
        clauses.append(f"deadline {'<' if wanted.overdue else '>='} {bind(wanted.today)}")
    return " AND ".join(clauses)


def _binder() -> tuple[list[object], Callable[[object], str]]:
    args: list[object] = []

    def bind(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    return args, bind


def query(wanted: QueueFilter, *, limit: int, offset: int) -> tuple[str, list[object]]:
    """The page's statement and its parameters."""
    args, bind = _binder()
    where = _where(wanted, bind)
    paging = f"LIMIT {bind(limit)} OFFSET {bind(offset)}"
    return f"{_SELECT} WHERE {where} ORDER BY {_ORDER[wanted.sort]} {paging}", args


def count_query(wanted: QueueFilter, *, cap: int = COUNT_CAP) -> tuple[str, list[object]]:
    """The statement counting the matching rows, up to ``cap``, and its parameters."""
    args, bind = _binder()
    return _COUNT.format(where=_where(wanted, bind), cap=int(cap)), args


async def page(conn: Connection, wanted: QueueFilter, *, limit: int, offset: int) -> tuple[list[QueueRow], int]:
    """One page of rows and the total matching (at most ``COUNT_CAP``; a short first page is its
    own total, without counting)."""
    sql, args = query(wanted, limit=limit, offset=offset)
    rows = [dict(row.items()) for row in await conn.fetch(sql, *args)]
    if offset == 0 and len(rows) < limit:
        return rows, len(rows)
    count_sql, count_args = count_query(wanted)
    return rows, int(await conn.fetchval(count_sql, *count_args))
