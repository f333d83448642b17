"""NATS JetStream link: connect (reconnecting forever), declare streams and consumers explicitly."""

from __future__ import annotations

import json
import logging
from typing import Any

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from contracts.subjects import DLQ_STREAM, SUBJECT_PREFIX, stream_for, stream_subjects

__all__ = ["NatsLink"]

logger = logging.getLogger(__name__)


class NatsLink:
    """One NATS connection per process and its JetStream context."""

    def __init__(self, url: str, *, name: str) -> None:
        self.url = url
        self.name = name
        self.nc: Client | None = None
        self._js: JetStreamContext | None = None

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("NATS is not connected")
        return self._js

    @property
    def is_connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

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
        logger.warning("nats error: %s", exc)

    async def _on_disconnected(self) -> None:
        logger.warning("nats disconnected")

    async def _on_reconnected(self) -> None:
        logger.info("nats reconnected")

    async def ensure_stream(self, service: str) -> None:
        """The producing service's stream ``QUAL_<SERVICE>`` on ``qual.<service>.>``, file storage."""
        await self._ensure(
            StreamConfig(
                name=stream_for(service),
                subjects=stream_subjects(service),
                storage=StorageType.FILE,
                duplicate_window=600.0,
            )
        )

    async def ensure_dlq_stream(self) -> None:
        await self._ensure(
            StreamConfig(name=DLQ_STREAM, subjects=[f"{SUBJECT_PREFIX}.dlq.>"], storage=StorageType.FILE)
        )

    async def _ensure(self, config: StreamConfig) -> None:
        try:
            await self.js.stream_info(config.name or "")
            await self.js.update_stream(config)
        except NotFoundError:
            await self.js.add_stream(config)

    async def ensure_consumer(self, stream: str, config: ConsumerConfig) -> None:
        """Create the durable consumer or update its config (binding alone would not apply it)."""
        assert self.nc is not None and config.durable_name
        body: dict[str, Any] = {"stream_name": stream, "config": config.as_dict(), "action": ""}
        subject = f"$JS.API.CONSUMER.CREATE.{stream}.{config.durable_name}"
        try:
            await self.js.consumer_info(stream, config.durable_name)
            body["action"] = "update"
        except NotFoundError:
            body["action"] = "create"
        reply = await self.nc.request(subject, json.dumps(body).encode(), timeout=5)
        answer = json.loads(reply.data)
        if "error" in answer:
            raise RuntimeError(f"consumer {config.durable_name} on {stream}: {answer['error']}")

    async def close(self) -> None:
        if self.nc is not None and not self.nc.is_closed:
            try:
                await self.nc.drain()
            except Exception:  # drain fails when the server is gone; closing is still right
                await self.nc.close()
        self.nc = None
        self._js = None
