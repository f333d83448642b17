"""UnitOfWork: one connection and one transaction; events emitted inside it go to the outbox.

async with uow:                      # acquires a connection, begins the transaction
    await uow.conn.execute(...)      # the change
    uow.emit(SomethingHappened(...)) # recorded, written to `outbox` at commit
    await uow.commit()               # change + outbox rows commit together
# leaving without commit() rolls back

Re-entering an open unit of work (a handler written for HTTP, called by the inbox consumer with
the consumer's unit of work) joins the open transaction: the inner ``commit()`` is a no-op and
the owner commits or rolls back. A unit of work can also run on a connection the caller holds
(``conn=``), as a savepoint (``savepoint=True``) or inside the caller's transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from types import TracebackType
from typing import Any

import asyncpg
import msgspec

from contracts.base import Event
from contracts.subjects import subject_for

from . import idempotency, telemetry
from .db import Connection, release_after_reads

__all__ = ["UnitOfWork", "write_outbox"]

_encoder = msgspec.json.Encoder()
_AGGREGATE_LOCK_CLASS = 0x4F42  # "OB": advisory-lock class of the per-aggregate outbox locks
# The per-aggregate transaction locks (taken in sorted order, so never a deadlock between two
# writers) make two transactions that emit for one aggregate insert their rows one after the
# other's commit: ids of one aggregate then follow commit order, and the relay, reading by id,
# can never see a later event of an aggregate before an earlier one becomes visible.
_INSERT_OUTBOX = """
WITH locked AS (
    SELECT count(pg_advisory_xact_lock($6::int, key)) AS n
    FROM (SELECT DISTINCT hashtext(a) AS key FROM unnest($2::text[]) AS a ORDER BY key) AS keys
)
INSERT INTO outbox (event_id, aggregate_id, subject, payload, headers)
SELECT e.* FROM locked, unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::jsonb[]) AS e
"""


async def write_outbox(conn: Connection, events: list[Event]) -> None:
    """Insert ``events`` into the outbox on ``conn`` (inside the caller's transaction)."""
    if not events:
        return
    headers = telemetry.inject_headers({})
    await conn.execute(
        _INSERT_OUTBOX,
        [event.event_id for event in events],
        [event.aggregate_id for event in events],
        [subject_for(type(event)) for event in events],
        [_encoder.encode(event) for event in events],
        [headers for _ in events],
        _AGGREGATE_LOCK_CLASS,
    )


class UnitOfWork:
    """The transaction boundary of one use case; ``on_commit`` wakes the outbox relay."""

    conn: Connection

    def __init__(
        self,
        pool: asyncpg.Pool[Any] | None,
        *,
        on_commit: Callable[[], None] | None = None,
        conn: Connection | None = None,
        savepoint: bool = True,
    ) -> None:
        if pool is None and conn is None:
            raise ValueError("a unit of work needs a pool or a connection")
        self._pool = pool
        self._on_commit = on_commit
        self._borrowed = conn
        self._savepoint = savepoint
        self._events: list[Event] = []
        self._tx: Any = None
        self._committed = False
        self._depth = 0
        self.emitted = 0

    async def __aenter__(self) -> UnitOfWork:
        self._depth += 1
        if self._depth > 1:
            return self
        if self._borrowed is not None:
            self.conn = self._borrowed
        else:
            assert self._pool is not None
            self.conn = await self._pool.acquire()
        self._tx = self.conn.transaction() if self._borrowed is None or self._savepoint else None
        self._events = []
        self._committed = False
        try:
            if self._tx is not None:
                await self._tx.start()
        except BaseException:
            self._depth -= 1
            await self._release()
            raise
        return self

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Connection]:
        """A connection for a read-only use case: no transaction, so a single query is one round
        trip instead of three (BEGIN, query, ROLLBACK), and given back without the pool's session
        reset (``db.release_after_reads``: only reads ran on it). Inside an open unit of work it is
        that unit's connection (the read sees the transaction's own writes)."""
        if self._depth > 0:
            yield self.conn
        elif self._borrowed is not None:
            yield self._borrowed
        else:
            assert self._pool is not None
            conn = await self._pool.acquire()
            try:
                yield conn
            except BaseException:  # a read cut short (cancelled, connection lost) may leave an
                await self._pool.release(conn)  # operation in progress: the full reset, or close
                raise
            await release_after_reads(self._pool, conn)

    def emit(self, event: Event) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        if self._depth > 1:
            return  # joined an open unit of work: its owner commits
        if self._borrowed is None:
            await idempotency.mark_committed(self.conn)
        await write_outbox(self.conn, self._events)
        if self._tx is not None:
            await self._tx.commit()
        self._committed = True
        self.emitted += len(self._events)
        if self._events and self._on_commit is not None:
            self._on_commit()
        self._events = []

    async def rollback(self) -> None:
        if self._depth == 1 and not self._committed:
            if self._tx is not None:
                await self._tx.rollback()
            self._committed = True

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        try:
            if not self._committed and self._tx is not None:
                await self._tx.rollback()
        finally:
            self._events = []
            await self._release()

    async def _release(self) -> None:
        if self._borrowed is None and self._pool is not None:
            await self._pool.release(self.conn)  # type: ignore[arg-type]
