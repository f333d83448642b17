"""Outbox relay: publishes committed events to JetStream, in order per aggregate, at least once.

Each pass runs in one transaction holding a transaction-level advisory lock, so of several
replicas only one relays at a time (a replica that finds the lock taken retries shortly). Rows
are read in id order — which is commit order within an aggregate, see ``uow.write_outbox`` —
and grouped by aggregate; each aggregate's events are published one after another, awaiting
each PubAck, and different aggregates concurrently. A failed publish stops that aggregate's
chain, so a later event of the same aggregate is never published before an earlier one.
``Nats-Msg-Id`` is the event id, so a re-publish after a crash between the PubAck and the
``sent_at`` update is dropped by the stream's duplicate window.

While NATS is unreachable the relay backs off (0.1 s doubling to ``max_backoff``; commits do
not wake it, a reconnection does), logs the outage once and then every ``log_every`` seconds,
and logs the recovery. ``stop()`` publishes what is pending, bounded by ``flush_timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

import asyncpg
import nats.errors

from . import telemetry
from .db import DB_ERRORS

if TYPE_CHECKING:  # nats.py reads LONGEST_RETRY from here: a run-time import would be a cycle
    from .nats import NatsLink

__all__ = ["LONGEST_RETRY", "MAX_BACKOFF", "PUBLISH_TIMEOUT", "OutboxRelay"]

logger = logging.getLogger(__name__)
_RELAY_LOCK = 0x4F555458  # "OUTX"
_LOCK_BUSY_RETRY = 0.05
_CLAIM = """
SELECT id, event_id, aggregate_id, subject, payload, headers
FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1
"""
_MARK_SENT = "UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])"
_MARK_FAILED = "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])"
_PUBLISH_ERRORS = (nats.errors.Error, OSError)

PUBLISH_TIMEOUT = 5.0
"""Seconds the relay waits for one PubAck; after that the publish counts as failed (maybe stored)."""
MAX_BACKOFF = 5.0
"""The longest pause between two relay passes while publishing fails."""
LONGEST_RETRY = PUBLISH_TIMEOUT + MAX_BACKOFF
"""Seconds from a publish whose PubAck may be lost to its re-publish by the running relay.

The stream's duplicate window must be at least this long (``nats.StreamLimits`` refuses a
shorter ``STREAM_DUPLICATE_WINDOW_SECONDS``), or such a retry would store the event twice.
"""


class OutboxRelay:
    """Background task of every service that emits events."""

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        link: NatsLink,
        *,
        batch_size: int = 1000,
        poll_interval: float = 0.5,
        publish_timeout: float = PUBLISH_TIMEOUT,
        max_backoff: float = MAX_BACKOFF,
        log_every: float = 60.0,
    ) -> None:
        self._pool = pool
        self._link = link
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self._max_backoff = max_backoff
        self._log_every = log_every
        self._wake = asyncio.Event()
        self._resume = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._failing_since: float | None = None
        self._last_log = 0.0
        link.on_reconnect(self._resume.set)

    def notify(self) -> None:
        """Called after a commit that wrote outbox rows: relay now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self, *, flush_timeout: float = 5.0) -> None:
        """Publish what is pending (bounded by ``flush_timeout``), then stop."""
        self._stopping = True
        self._wake.set()
        self._resume.set()
        self._link.forget(self._resume.set)
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, flush_timeout)
            except TimeoutError:
                logger.warning("outbox relay stopped before everything pending was published")
            self._task = None

    async def _run(self) -> None:
        backoff = 0.0
        while True:
            self._wake.clear()
            try:
                published, failed, busy = await self.relay_once()
            except DB_ERRORS as exc:
                published, failed, busy = 0, 1, False
                self._report(f"database: {type(exc).__name__}: {exc}")
            except Exception:  # a bug must not end the relay silently: log it, back off, retry
                logger.exception("outbox relay pass crashed")
                published, failed, busy = 0, 1, False
            if self._stopping:
                if failed or not published:
                    return  # flushed, NATS unreachable, or another replica's relay holds the lock
                continue
            if failed and not published:
                backoff = min(self._max_backoff, max(0.1, backoff * 2))
                await self._pause(backoff)
                continue
            backoff = 0.0
            if self._failing_since is not None and not failed:
                logger.info("outbox relay recovered after %.1f s", time.monotonic() - self._failing_since)
                self._failing_since = None
            if busy:
                await self._pause(_LOCK_BUSY_RETRY)
            elif published < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval)

    async def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``; only stop() or a NATS reconnection cuts it short, commits do not."""
        self._resume.clear()
        if self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._resume.wait(), seconds)

    def _report(self, error: str) -> None:
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
            logger.warning("outbox relay cannot publish, retrying with backoff: %s", error)
        elif now - self._last_log >= self._log_every:
            logger.warning("outbox relay still failing after %.0f s: %s", now - self._failing_since, error)
        else:
            return
        self._last_log = now

    async def relay_once(self) -> tuple[int, int, bool]:
        """One pass: (published, failed, lock held by another relay)."""
        if not self._link.is_connected:
            self._report("NATS is not connected")
            return 0, 1, False
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _RELAY_LOCK):
                return 0, 0, True
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0, 0, False
            sent, failed, error = await self._publish_all(rows)
            if sent:
                await conn.execute(_MARK_SENT, sent)
                telemetry.instruments.published.add(len(sent))
            if failed:
                await conn.execute(_MARK_FAILED, failed, error[:500])
                telemetry.instruments.publish_failures.add(len(failed))
                self._report(error)
            return len(sent), len(failed), False

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
                if not self._link.is_connected:
                    raise ConnectionError("NATS is not connected")
                await self._link.js.publish(
                    row["subject"], bytes(row["payload"]), timeout=self._publish_timeout, headers=headers
                )
            except _PUBLISH_ERRORS as exc:  # keep the rest of this aggregate unsent, in order
                return sent, [r["id"] for r in chain[index:]], f"{type(exc).__name__}: {exc}"
            sent.append(row["id"])
        return sent, [], ""
