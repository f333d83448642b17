"""Outbox relay: publishes committed events to JetStream, in order per aggregate, at least once.

Each pass runs in one transaction holding a transaction-level advisory lock, so of several
replicas only one relays at a time. Rows are read in id order and grouped by aggregate; each
aggregate's events are published one after another (awaiting the PubAck), different aggregates
concurrently. A failed publish stops that aggregate's chain, so a later event of the same
aggregate is never published before an earlier one. ``Nats-Msg-Id`` is the event id, so a
re-publish after a crash between PubAck and the ``sent_at`` update is dropped by JetStream's
duplicate window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from .nats import NatsLink

__all__ = ["OutboxRelay"]

logger = logging.getLogger(__name__)
_RELAY_LOCK = 0x4F555458  # "OUTX"
_CLAIM = """
SELECT id, event_id, aggregate_id, subject, payload, headers
FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1
"""
_MARK_SENT = "UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])"
_MARK_FAILED = "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])"


class OutboxRelay:
    """Background task of every service that emits events."""

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        link: NatsLink,
        *,
        batch_size: int = 500,
        poll_interval: float = 0.5,
        publish_timeout: float = 3.0,
        max_backoff: float = 5.0,
    ) -> None:
        self._pool = pool
        self._link = link
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self._max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def notify(self) -> None:
        """Called after a commit that wrote outbox rows: relay now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self, *, flush_timeout: float = 5.0) -> None:
        """Publish what is pending (bounded by ``flush_timeout``), then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, flush_timeout)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = 0.0
        while True:
            try:
                published, failed = await self.relay_once()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("outbox relay pass failed: %s", exc)
                published, failed = 0, 1
            backoff = min(self._max_backoff, max(0.1, backoff * 2)) if failed else 0.0
            if self._stopping and (not published or failed):
                return
            if published == self._batch_size and not failed:
                continue
            await self._sleep(backoff or self._poll_interval)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def relay_once(self) -> tuple[int, int]:
        """One pass: returns (published, failed) counts."""
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _RELAY_LOCK):
                return 0, 0
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0, 0
            sent, failed, error = await self._publish_all(rows)
            if sent:
                await conn.execute(_MARK_SENT, sent)
            if failed:
                await conn.execute(_MARK_FAILED, failed, error[:500])
            return len(sent), len(failed)

    async def _publish_all(self, rows: list[asyncpg.Record]) -> tuple[list[int], list[int], str]:
        chains: dict[str, list[asyncpg.Record]] = {}
        for row in rows:
            chains.setdefault(row["aggregate_id"], []).append(row)
        results = await asyncio.gather(*(self._publish_chain(chain) for chain in chains.values()))
        sent = [row_id for ok, _, _ in results for row_id in ok]
        failed = [row_id for _, bad, _ in results for row_id in bad]
        errors = [err for _, _, err in results if err]
        return sent, failed, errors[0] if errors else ""

    async def _publish_chain(self, chain: list[asyncpg.Record]) -> tuple[list[int], list[int], str]:
        sent: list[int] = []
        for index, row in enumerate(chain):
            headers = {**(row["headers"] or {}), "Nats-Msg-Id": str(row["event_id"])}
            try:
                if self._link.nc is None or not self._link.is_connected:
                    raise ConnectionError("NATS is not connected")
                await self._link.js.publish(
                    row["subject"], bytes(row["payload"]), timeout=self._publish_timeout, headers=headers
                )
            except Exception as exc:  # any publish failure: keep the rest of this aggregate unsent
                return sent, [r["id"] for r in chain[index:]], f"{type(exc).__name__}: {exc}"
            sent.append(row["id"])
        return sent, [], ""
