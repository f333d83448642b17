"""Inbox consumers: durable pull consumers whose handler effects commit with the inbox row.

For each ``Subscription`` the runner creates or updates the durable consumer explicitly at start
and pulls continuously (``nats.PullFeed``). What has arrived is handled as one batch in one
transaction: ``inbox(consumer, event_id)`` rows for the whole batch in one statement (``ON
CONFLICT DO NOTHING``, so a redelivered event has no second effect), each new event's handler,
commit, and only then the acks.

A handler that raises aborts the optimistic batch; the batch is then redone with a savepoint per
message, so only the failing messages are nak'ed (with exponential delay). On its last allowed
delivery (``max_deliver``) a failing message goes to ``qual.dlq.<durable>`` with the error in the
``Qual-Error`` header and is terminated. While the database is unreachable the batch is held
(``in_progress`` keeps it from redelivery) and retried with backoff, so an outage does not burn
delivery attempts and dead-letter good events. After a NATS restart the feed re-pulls; if the
consumer is gone (server state lost) it is declared again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import msgspec
import nats.errors
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts.base import Event
from contracts.subjects import dlq_subject, service_of, stream_for, subject_for

from . import telemetry
from .db import DB_ERRORS
from .nats import ConsumerGoneError, NatsLink, PullFeed
from .uow import UnitOfWork

__all__ = ["Handler", "InboxRunner", "Subscription"]

logger = logging.getLogger(__name__)
Handler = Callable[[Any, UnitOfWork], Awaitable[None]]
Item = tuple[Msg, Event]
_CLAIM = """
INSERT INTO inbox (consumer, event_id, subject)
SELECT $1, e.event_id, e.subject FROM unnest($2::uuid[], $3::text[]) AS e(event_id, subject)
ON CONFLICT DO NOTHING RETURNING event_id
"""
_UNCLAIM = "DELETE FROM inbox WHERE consumer = $1 AND event_id = $2"
_NATS_ERRORS = (ConsumerGoneError, nats.errors.Error, OSError)


@dataclass(frozen=True)
class Subscription:
    """``event_type`` handled by ``handler``; ``name`` makes the durable ``<service>-<name>``."""

    event_type: type[Event]
    handler: Handler
    name: str
    max_deliver: int = 5
    ack_wait: float = 30.0
    batch: int = 256
    retry_delay: float = 0.5
    decoder: msgspec.json.Decoder[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "decoder", msgspec.json.Decoder(self.event_type))

    def durable(self, service: str) -> str:
        return f"{service}-{self.name}"

    def consumer_config(self, service: str) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=self.durable(service),
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            max_deliver=self.max_deliver,
            filter_subject=subject_for(self.event_type),
            max_ack_pending=10_000,
        )


class _HandlerFailedError(Exception):
    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


class InboxRunner:
    """Runs every subscription of one service as its own pull/handle/ack loop."""

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        link: NatsLink,
        *,
        service: str,
        subscriptions: list[Subscription],
        on_commit: Callable[[], None] | None = None,
        stop_timeout: float = 10.0,
    ) -> None:
        self._pool = pool
        self._link = link
        self._service = service
        self._subscriptions = subscriptions
        self._on_commit = on_commit
        self._stop_timeout = stop_timeout
        self._tasks: list[asyncio.Task[None]] = []
        self._feeds: dict[str, PullFeed] = {}
        self._stopping = asyncio.Event()

    async def declare(self) -> None:
        await self._link.ensure_dlq_stream()
        for sub in self._subscriptions:
            await self._declare(sub)

    async def _declare(self, sub: Subscription) -> None:
        producer = service_of(sub.event_type)
        await self._link.ensure_stream(producer)
        await self._link.ensure_consumer(stream_for(producer), sub.consumer_config(self._service))

    async def start(self) -> None:
        await self.declare()
        for sub in self._subscriptions:
            self._tasks.append(asyncio.create_task(self._loop(sub), name=f"inbox-{sub.name}"))

    async def stop(self) -> None:
        """Stop pulling at once, let batches in hand commit and ack (bounded), then end."""
        self._stopping.set()
        for feed in self._feeds.values():
            feed.interrupt()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=self._stop_timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._tasks = []

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _loop(self, sub: Subscription) -> None:
        durable = sub.durable(self._service)
        feed: PullFeed | None = None
        backoff, failing = 0.0, False
        while not self._stopping.is_set():
            try:
                if feed is None:
                    if failing:
                        await self._declare(sub)
                    feed = self._feeds[durable] = await self._link.pull(
                        stream_for(service_of(sub.event_type)), durable, batch=sub.batch
                    )
                    if self._stopping.is_set():
                        feed.interrupt()
                msgs = await feed.next_batch(wait=5.0)
            except _NATS_ERRORS as exc:  # NATS down or consumer gone: back off, declare, re-pull
                if not failing:
                    logger.warning("inbox %s cannot pull, retrying: %s", durable, exc)
                failing, backoff = True, min(5.0, max(0.2, backoff * 2))
                if feed is not None:
                    await feed.close()
                    feed = None
                await self._pause(backoff)
                continue
            if failing:
                logger.info("inbox %s pulling again", durable)
                failing, backoff = False, 0.0
            if msgs:
                try:
                    await self.handle_batch(sub, msgs)
                except Exception:  # a kernel bug must not end the loop; unacked messages come back
                    logger.exception("inbox %s: batch failed unexpectedly", durable)
                    await self._pause(1.0)
        if feed is not None:
            await feed.close()
        self._feeds.pop(durable, None)

    async def handle_batch(self, sub: Subscription, msgs: list[Msg]) -> None:
        durable = sub.durable(self._service)
        items: list[Item] = []
        for msg in msgs:
            try:
                items.append((msg, sub.decoder.decode(msg.data)))
            except msgspec.DecodeError as exc:
                await self._dead_letter(durable, msg, f"undecodable: {exc}")
        failures = await self._apply(sub, durable, items) if items else {}
        if failures is None:
            return
        if len(items) > len(failures):
            telemetry.instruments.handled.add(len(items) - len(failures), {"consumer": durable})
        for index, (msg, _) in enumerate(items):
            if index in failures:
                await self._failed(sub, durable, msg, failures[index])
            else:
                with contextlib.suppress(Exception):  # a lost ack means a redelivery, a no-op
                    await msg.ack()

    async def _apply(self, sub: Subscription, durable: str, items: list[Item]) -> dict[int, Exception] | None:
        """Failures by index; ``None`` if stopped while the database was unreachable (all nak'ed)."""
        delay = 0.2
        while True:
            try:
                return await self._optimistic_then_isolated(sub, durable, items)
            except DB_ERRORS as exc:
                logger.warning("inbox %s: database unavailable, holding %d messages: %s", durable, len(items), exc)
            if self._stopping.is_set():
                for msg, _ in items:
                    with contextlib.suppress(Exception):
                        await msg.nak()
                return None
            for msg, _ in items:
                with contextlib.suppress(Exception):
                    await msg.in_progress()
            await self._pause(delay)
            delay = min(5.0, delay * 2)

    async def _optimistic_then_isolated(
        self, sub: Subscription, durable: str, items: list[Item]
    ) -> dict[int, Exception]:
        try:
            return await self._transaction(sub, durable, items, isolate=False)
        except _HandlerFailedError as failed:
            if len(items) == 1:
                return {failed.index: failed.error}
        return await self._transaction(sub, durable, items, isolate=True)

    async def _transaction(
        self, sub: Subscription, durable: str, items: list[Item], *, isolate: bool
    ) -> dict[int, Exception]:
        failures: dict[int, Exception] = {}
        emitted = 0
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                _CLAIM, durable, [event.event_id for _, event in items], [msg.subject for msg, _ in items]
            )
            fresh = {row["event_id"] for row in rows}
            for index, (msg, event) in enumerate(items):
                if event.event_id not in fresh:
                    continue  # handled before (a redelivery), or earlier in this batch
                fresh.discard(event.event_id)
                try:
                    emitted += await self._handle(sub, conn, msg, event, savepoint=isolate)
                except Exception as exc:  # the handler's failure: retried, then dead-lettered
                    if conn.is_closed():
                        raise ConnectionError(f"database connection lost: {exc}") from exc
                    if not isolate:
                        raise _HandlerFailedError(index, exc) from exc
                    failures[index] = exc
                    await conn.execute(_UNCLAIM, durable, event.event_id)
        if emitted and self._on_commit is not None:
            self._on_commit()
        return failures

    async def _handle(self, sub: Subscription, conn: Any, msg: Msg, event: Event, *, savepoint: bool) -> int:
        ctx = telemetry.extract_context(msg.headers)
        with telemetry.tracer().start_as_current_span(f"consume {msg.subject}", context=ctx):
            async with UnitOfWork(None, conn=conn, savepoint=savepoint) as uow:
                await sub.handler(event, uow)
                await uow.commit()
            return uow.emitted

    async def _failed(self, sub: Subscription, durable: str, msg: Msg, exc: Exception) -> None:
        delivered = msg.metadata.num_delivered or 1
        error = f"{type(exc).__name__}: {exc}"
        if delivered >= sub.max_deliver:
            await self._dead_letter(durable, msg, error)
            return
        delay = min(30.0, sub.retry_delay * 2 ** (delivered - 1))
        logger.warning(
            "inbox %s: attempt %d/%d failed, retry in %.1f s: %s", durable, delivered, sub.max_deliver, delay, error
        )
        with contextlib.suppress(Exception):
            await msg.nak(delay=delay)

    async def _dead_letter(self, durable: str, msg: Msg, error: str) -> None:
        meta = msg.metadata
        line = " ".join(error.split())[:500]  # a header value is one line
        logger.error("inbox %s dead-letters %s #%s: %s", durable, msg.subject, meta.sequence.stream, line)
        telemetry.instruments.dead_lettered.add(1, {"consumer": durable})
        headers = {key: value for key, value in (msg.headers or {}).items() if key != "Nats-Msg-Id"}
        headers.update(
            {
                "Nats-Msg-Id": f"{durable}.{meta.stream}.{meta.sequence.stream}",
                "Qual-Error": line,
                "Qual-Original-Subject": msg.subject,
                "Qual-Consumer": durable,
            }
        )
        try:
            await self._link.js.publish(dlq_subject(durable), msg.data, headers=headers)
            await msg.term()
        except (nats.errors.Error, OSError) as dlq_exc:  # keep it unacknowledged rather than lose it
            logger.error("inbox %s could not dead-letter: %s", durable, dlq_exc)
