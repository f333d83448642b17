"""UnitOfWork: one connection and one transaction; events emitted inside it go to the outbox.

async with uow:                      # acquires a connection, begins the transaction
    await uow.conn.execute(...)      # the change
    uow.emit(SomethingHappened(...)) # recorded, written to `outbox` at commit
    await uow.commit()               # change + outbox rows commit together
# leaving without commit() rolls back
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

import asyncpg
import msgspec

from contracts.base import Event
from contracts.subjects import subject_for

from . import telemetry
from .db import Connection

__all__ = ["UnitOfWork", "write_outbox"]

_encoder = msgspec.json.Encoder()
_INSERT_OUTBOX = """
INSERT INTO outbox (event_id, aggregate_id, subject, payload, headers)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::jsonb[])
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
    )


class UnitOfWork:
    """The transaction boundary of one use case; ``on_commit`` wakes the outbox relay."""

    conn: Connection

    def __init__(self, pool: asyncpg.Pool[Any], *, on_commit: Callable[[], None] | None = None) -> None:
        self._pool = pool
        self._on_commit = on_commit
        self._events: list[Event] = []
        self._tx: Any = None
        self._committed = False

    async def __aenter__(self) -> UnitOfWork:
        self.conn = await self._pool.acquire()
        self._tx = self.conn.transaction()
        await self._tx.start()
        self._events = []
        self._committed = False
        return self

    def emit(self, event: Event) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        await write_outbox(self.conn, self._events)
        await self._tx.commit()
        self._committed = True
        if self._events and self._on_commit is not None:
            self._on_commit()
        self._events = []

    async def rollback(self) -> None:
        if not self._committed:
            await self._tx.rollback()
            self._committed = True

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                await self._tx.rollback()
        finally:
            await self._pool.release(self.conn)  # type: ignore[arg-type]
