"""Inbox consumers: durable pull consumers whose handler effects commit with the inbox row.

For each ``Subscription`` the runner declares the durable consumer explicitly at start (create
or update), fetches in batches, and for every message opens a UnitOfWork, inserts
``inbox(consumer, event_id)`` with ``ON CONFLICT DO NOTHING`` (a redelivered event has no second
effect), runs the handler, commits, and only then acks. A failing handler is nak'ed with
backoff; on the last allowed delivery the message goes to ``qual.dlq.<consumer>`` and is
terminated, with the error logged.
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
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts.base import Event
from contracts.subjects import dlq_subject, service_of, stream_for, subject_for

from . import telemetry
from .nats import NatsLink
from .uow import UnitOfWork

__all__ = ["Handler", "InboxRunner", "Subscription"]

logger = logging.getLogger(__name__)
Handler = Callable[[Any, UnitOfWork], Awaitable[None]]
_INSERT_INBOX = """
INSERT INTO inbox (consumer, event_id, subject) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING RETURNING 1
"""


@dataclass(frozen=True)
class Subscription:
    """``event_type`` handled by ``handler``; ``name`` makes the durable ``<service>-<name>``."""

    event_type: type[Event]
    handler: Handler
    name: str
    max_deliver: int = 5
    ack_wait: float = 30.0
    batch: int = 100
    decoder: msgspec.json.Decoder[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "decoder", msgspec.json.Decoder(self.event_type))

    def durable(self, service: str) -> str:
        return f"{service}-{self.name}"


class InboxRunner:
    """Runs every subscription of one service as its own fetch/ack loop."""

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        link: NatsLink,
        *,
        service: str,
        subscriptions: list[Subscription],
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._pool = pool
        self._link = link
        self._service = service
        self._subscriptions = subscriptions
        self._on_commit = on_commit
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    async def declare(self) -> None:
        await self._link.ensure_dlq_stream()
        for sub in self._subscriptions:
            producer = service_of(sub.event_type)
            await self._link.ensure_stream(producer)
            await self._link.ensure_consumer(stream_for(producer), self._config(sub))

    def _config(self, sub: Subscription) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=sub.durable(self._service),
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=sub.ack_wait,
            max_deliver=sub.max_deliver,
            filter_subject=subject_for(sub.event_type),
            max_ack_pending=10_000,
        )

    async def start(self) -> None:
        await self.declare()
        for sub in self._subscriptions:
            self._tasks.append(asyncio.create_task(self._loop(sub), name=f"inbox-{sub.name}"))

    async def stop(self) -> None:
        self._stopping.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _loop(self, sub: Subscription) -> None:
        producer = service_of(sub.event_type)
        durable = sub.durable(self._service)
        stream = stream_for(producer)
        psub = None
        while not self._stopping.is_set():
            try:
                if psub is None:
                    psub = await self._link.js.pull_subscribe_bind(durable=durable, stream=stream)
                msgs = await psub.fetch(batch=sub.batch, timeout=1.0)
            except (TimeoutError, NatsTimeoutError):
                continue
            except Exception as exc:  # NATS down or consumer missing: wait, then rebind
                logger.warning("inbox %s fetch failed: %s", durable, exc)
                psub = None
                await asyncio.sleep(0.5)
                continue
            for msg in msgs:
                await self.handle(sub, msg)

    async def handle(self, sub: Subscription, msg: Msg) -> None:
        durable = sub.durable(self._service)
        try:
            event = sub.decoder.decode(msg.data)
        except msgspec.DecodeError as exc:
            await self._dead_letter(durable, msg, f"undecodable: {exc}")
            return
        ctx = telemetry.extract_context(msg.headers)
        with telemetry.tracer().start_as_current_span(f"consume {msg.subject}", context=ctx):
            try:
                await self._apply(sub, durable, event, msg.subject)
            except Exception as exc:  # handler failed: retry with backoff, dead-letter at the end
                await self._failed(sub, durable, msg, exc)
                return
        with contextlib.suppress(Exception):
            await msg.ack()

    async def _apply(self, sub: Subscription, durable: str, event: Event, subject: str) -> None:
        async with UnitOfWork(self._pool, on_commit=self._on_commit) as uow:
            first = await uow.conn.fetchval(_INSERT_INBOX, durable, event.event_id, subject)
            if first:
                await sub.handler(event, uow)
            await uow.commit()

    async def _failed(self, sub: Subscription, durable: str, msg: Msg, exc: Exception) -> None:
        delivered = msg.metadata.num_delivered if msg.metadata else 1
        if delivered >= sub.max_deliver:
            await self._dead_letter(durable, msg, f"{type(exc).__name__}: {exc}")
            return
        logger.warning("inbox %s attempt %s failed: %s", durable, delivered, exc)
        with contextlib.suppress(Exception):
            await msg.nak(delay=min(30.0, 0.2 * 2 ** (delivered - 1)))

    async def _dead_letter(self, durable: str, msg: Msg, error: str) -> None:
        logger.error("inbox %s dead-letters a message from %s: %s", durable, msg.subject, error)
        headers = {**(msg.headers or {}), "Qual-Error": error[:500], "Qual-Original-Subject": msg.subject}
        headers.pop("Nats-Msg-Id", None)
        try:
            await self._link.js.publish(dlq_subject(durable), msg.data, headers=headers)
            await msg.term()
        except Exception as dlq_exc:  # keep it for redelivery rather than lose it
            logger.error("inbox %s could not dead-letter: %s", durable, dlq_exc)
