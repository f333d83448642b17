"""NATS JetStream link: connect (reconnecting forever), declare streams and consumers, pull feeds.

Consumers are created or updated explicitly with ``$JS.API.CONSUMER.CREATE.<stream>.<durable>``
and ``"action": ""`` (create, or update when it exists): binding to an existing durable with
``pull_subscribe`` would not apply a changed config. Checked against nats-server 2.15: a changed
``max_deliver``/``ack_wait``/``max_ack_pending`` is applied; an immutable change (e.g.
``deliver_policy``) is refused with an error, which fails the start.

Every stream gets the same ``StreamLimits`` from the ``STREAM_*`` settings, applied on create
and on update, so a changed limit reaches streams that already exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as NatsSubscription
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import APIError, NotFoundError

from contracts.subjects import DLQ_STREAM, SUBJECT_PREFIX, stream_for, stream_subjects

from .outbox import LONGEST_RETRY
from .settings import BaseSettings, SettingsError

__all__ = ["ConsumerGoneError", "NatsLink", "PullFeed", "StreamLimits"]

logger = logging.getLogger(__name__)


class ConsumerGoneError(Exception):
    """The durable consumer (or JetStream) is not answering pull requests: declare it again."""


@dataclass(frozen=True, kw_only=True)
class StreamLimits:
    """What every stream keeps, for how long, on how many servers (the ``STREAM_*`` settings).

    ``discard=new``: a full stream (``max_bytes``) refuses the publish instead of deleting its
    oldest events, which ``old`` would do even when a lagging consumer has not read them yet.
    Refused events stay in the producer's outbox and the relay retries them (logged, counted in
    ``publish_failures``); a refused dead letter stays unacknowledged. A full stream thus stops the
    flow visibly and loses nothing. Events older than ``max_age`` are removed whatever the policy:
    that is the retention period.

    ``duplicate_window`` must cover ``outbox.LONGEST_RETRY``, so a re-publish of an event whose
    PubAck was lost is dropped by the stream. Longer gaps (a restart or database outage between
    the PubAck and the commit) are caught by each consumer's inbox, keyed by the event id.
    """

    max_age: float
    max_bytes: int
    replicas: int
    duplicate_window: float

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> StreamLimits:
        """The limits of ``settings``; refuses a duplicate window the relay's retries outlast."""
        window, max_age = settings.stream_duplicate_window_seconds, settings.stream_max_age_seconds
        if window < LONGEST_RETRY:
            raise SettingsError(
                f"STREAM_DUPLICATE_WINDOW_SECONDS: {window:g} s is shorter than the outbox relay's longest "
                f"retry ({LONGEST_RETRY:g} s), so a retried event could be stored twice"
            )
        if window > max_age:
            raise SettingsError(f"STREAM_DUPLICATE_WINDOW_SECONDS: {window:g} s exceeds STREAM_MAX_AGE_SECONDS")
        return cls(
            max_age=max_age,
            max_bytes=settings.stream_max_bytes,
            replicas=settings.stream_replicas,
            duplicate_window=window,
        )

    def config(self, name: str, subjects: list[str]) -> StreamConfig:
        return StreamConfig(
            name=name,
            subjects=subjects,
            storage=StorageType.FILE,
            max_age=self.max_age,
            max_bytes=self.max_bytes,
            num_replicas=self.replicas,
            duplicate_window=self.duplicate_window,
            discard=DiscardPolicy.NEW,
        )


class NatsLink:
    """One NATS connection per process and its JetStream context."""

    def __init__(self, url: str, *, name: str, limits: StreamLimits | None = None) -> None:
        self.url = url
        self.name = name
        self.limits = limits if limits is not None else StreamLimits.from_settings(BaseSettings())
        self.nc: Client | None = None
        self._js: JetStreamContext | None = None
        self.reconnects = 0
        self._listeners: list[Callable[[], None]] = []

    @classmethod
    def from_settings(cls, settings: BaseSettings, *, name: str) -> NatsLink:
        """The link to ``NATS_URL`` declaring streams with the ``STREAM_*`` limits."""
        return cls(settings.nats_url, name=name, limits=StreamLimits.from_settings(settings))

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("NATS is not connected")
        return self._js

    @property
    def is_connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    def on_reconnect(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every reconnection (relay and pull feeds resume at once)."""
        self._listeners.append(listener)

    def forget(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    async def connect(self) -> None:
        self.nc = await nats.connect(
            self.url,
            name=self.name,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            connect_timeout=2,
            allow_reconnect=True,
            error_cb=self._on_error,
            disconnected_cb=self._on_disconnected,
            reconnected_cb=self._on_reconnected,
        )
        self._js = self.nc.jetstream(timeout=5)

    async def _on_error(self, exc: Exception) -> None:
        logger.debug("nats error: %s", exc)

    async def _on_disconnected(self) -> None:
        logger.warning("nats disconnected")

    async def _on_reconnected(self) -> None:
        logger.info("nats reconnected")
        self.reconnects += 1
        for listener in self._listeners:
            listener()

    async def ensure_stream(self, service: str) -> None:
        """The producing service's stream ``QUAL_<SERVICE>`` on ``qual.<service>.>``, file storage."""
        await self._ensure(self.limits.config(stream_for(service), stream_subjects(service)))

    async def ensure_dlq_stream(self) -> None:
        await self._ensure(self.limits.config(DLQ_STREAM, [f"{SUBJECT_PREFIX}.dlq.>"]))

    async def _ensure(self, config: StreamConfig) -> None:
        try:
            await self.js.stream_info(config.name or "")
            await self.js.update_stream(config)
        except NotFoundError:
            await self.js.add_stream(config)

    async def ensure_consumer(self, stream: str, config: ConsumerConfig) -> None:
        """Create the durable consumer or update its config (binding alone would not apply it)."""
        if self.nc is None or not config.durable_name:
            raise RuntimeError("ensure_consumer needs a connection and a durable name")
        body = {"stream_name": stream, "config": config.as_dict(), "action": ""}
        subject = f"$JS.API.CONSUMER.CREATE.{stream}.{config.durable_name}"
        reply = await self.nc.request(subject, json.dumps(body).encode(), timeout=5)
        answer = json.loads(reply.data)
        if "error" in answer:
            raise APIError.from_error(answer["error"])

    async def pull(self, stream: str, durable: str, *, batch: int) -> PullFeed:
        feed = PullFeed(self, stream=stream, durable=durable, batch=batch)
        await feed.open()
        return feed

    async def close(self) -> None:
        if self.nc is not None and not self.nc.is_closed:
            try:
                await self.nc.drain()
            except Exception:  # drain fails when the server is gone; closing is still right
                await self.nc.close()
        self.nc = None
        self._js = None


class PullFeed:
    """A continuous pull from one durable consumer that hands over whatever has arrived.

    One pull request of ``batch`` messages is outstanding at a time; the next is sent as soon as
    the previous one is used up or ends (expiry, reconnection), before the caller processes what
    it got, so processing overlaps the round trip. ``next_batch`` returns as soon as at least one
    message is here (low latency at low rates, full batches under load), unlike ``fetch``, which
    waits for a full batch or its timeout.
    """

    def __init__(self, link: NatsLink, *, stream: str, durable: str, batch: int, expires: float = 5.0) -> None:
        self._link = link
        self._batch = batch
        self._expires = expires
        self._next = f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{durable}"
        self._buffer: deque[Msg] = deque()
        self._ready = asyncio.Event()
        self._sub: NatsSubscription | None = None
        self._inbox = ""
        self._reply = ""
        self._requests = 0
        self._pending = 0
        self._deadline = 0.0
        self._generation = -1
        self._gone: str | None = None
        self._interrupted = False

    async def open(self) -> None:
        nc = self._link.nc
        if nc is None:
            raise RuntimeError("NATS is not connected")
        self._inbox = nc.new_inbox()
        self._sub = await nc.subscribe(f"{self._inbox}.*", cb=self._on_msg)
        self._link.on_reconnect(self._ready.set)

    async def _on_msg(self, msg: Msg) -> None:
        status = msg.headers.get("Status") if msg.headers else None
        if status is None:
            self._buffer.append(msg)
            self._pending -= 1
        elif status != "100" and msg.subject == self._reply:  # the current request ended
            self._pending = 0
            if status not in ("404", "408"):  # 409 consumer deleted/leader change, 503 no JetStream
                description = msg.headers.get("Description", "") if msg.headers else ""
                self._gone = f"{status} {description}".strip()
        self._ready.set()

    def interrupt(self) -> None:
        """Make a waiting ``next_batch`` return now (used on stop)."""
        self._interrupted = True
        self._ready.set()

    async def next_batch(self, wait: float) -> list[Msg]:
        """Up to ``batch`` messages as soon as one is here; ``[]`` after ``wait`` s or an interrupt."""
        loop = asyncio.get_running_loop()
        end = loop.time() + wait
        while not self._buffer:
            self._ready.clear()  # before looking, so an arrival during the awaits below is not missed
            if self._gone is not None:
                reason, self._gone = self._gone, None
                raise ConsumerGoneError(reason)
            now = loop.time()
            if self._interrupted or now >= end:
                return []
            if self._pending <= 0 or now >= self._deadline or self._generation != self._link.reconnects:
                await self._request()
            if not self._buffer:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._ready.wait(), max(0.0, min(end, self._deadline) - now))
        taken = [self._buffer.popleft() for _ in range(min(self._batch, len(self._buffer)))]
        if self._pending <= 0 and not self._buffer:
            await self._request()
        return taken

    async def _request(self) -> None:
        nc = self._link.nc
        if nc is None:
            raise ConsumerGoneError("NATS connection closed")
        self._requests += 1
        self._reply = f"{self._inbox}.{self._requests}"
        self._pending = self._batch
        self._generation = self._link.reconnects
        self._deadline = asyncio.get_running_loop().time() + self._expires + 1.0
        body = {"batch": self._batch, "expires": int(self._expires * 1e9)}
        await nc.publish(self._next, json.dumps(body).encode(), reply=self._reply)

    async def close(self) -> None:
        """Stop pulling; messages received but not handed over are nak'ed for prompt redelivery."""
        self._link.forget(self._ready.set)
        if self._sub is not None:
            try:
                await self._sub.unsubscribe()
            except Exception as exc:  # connection already gone: the server forgets the inbox anyway
                logger.debug("pull feed unsubscribe failed: %s", exc)
            self._sub = None
        while self._buffer:
            msg = self._buffer.popleft()
            try:
                await msg.nak()
            except Exception as exc:  # not acked → redelivered after ack_wait instead
                logger.debug("nak on close failed: %s", exc)
