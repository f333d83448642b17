"""Stream limits on the real nats-server: every stream gets the ``STREAM_*`` settings, new or existing."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import APIError, NotFoundError

from contracts.subjects import DLQ_STREAM, stream_for, stream_subjects
from deploy.local.components import NatsServer
from services.kernel import BaseSettings, Runtime, load_settings
from services.kernel.nats import NatsLink
from tests.fixtures.infra import random_ref

MIB = 1 << 20
LIMITS = {
    "STREAM_MAX_AGE_SECONDS": str(30 * 86400),
    "STREAM_MAX_BYTES": str(64 * MIB),
    "STREAM_REPLICAS": "1",
    "STREAM_DUPLICATE_WINDOW_SECONDS": "90",
}
EXPECTED = (30 * 86400.0, 64 * MIB, 1, 90.0, DiscardPolicy.NEW)

Settings = Callable[..., BaseSettings]
Connect = Callable[[BaseSettings], Awaitable[NatsLink]]


@pytest.fixture
def settings(nats_server: NatsServer) -> Settings:
    """``settings(**env)``: a fresh service name on the test server, ``LIMITS`` updated by ``env``."""

    def build(**env: str) -> BaseSettings:
        return load_settings(
            BaseSettings, {**LIMITS, **env}, service_name=random_ref("streams"), nats_url=nats_server.url
        )

    return build


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    """``connect(settings)``: a connected link; its service's stream is deleted at the end."""
    links: list[tuple[NatsLink, str]] = []

    async def open_link(settings: BaseSettings) -> NatsLink:
        link = NatsLink.from_settings(settings, name="streams-test")
        await link.connect()
        links.append((link, stream_for(settings.service_name)))
        return link

    yield open_link
    for link, stream in links:
        with contextlib.suppress(NotFoundError):  # each stream reserves max_bytes of the server's store
            await link.js.delete_stream(stream)
        await link.close()


async def _limits(link: NatsLink, stream: str) -> tuple[object, ...]:
    config = (await link.js.stream_info(stream)).config
    return (config.max_age, config.max_bytes, config.num_replicas, config.duplicate_window, config.discard)


async def test_a_services_stream_gets_the_limits_of_its_settings(settings: Settings, connect: Connect) -> None:
    service_settings = settings()
    runtime = Runtime(settings=service_settings, needs_database=False)
    await runtime.start()
    try:
        link = await connect(service_settings)
        assert await _limits(link, stream_for(service_settings.service_name)) == EXPECTED
    finally:
        await runtime.stop()


async def test_an_existing_stream_is_updated_to_the_limits(settings: Settings, connect: Connect) -> None:
    service_settings = settings()
    link = await connect(service_settings)
    stream, service = stream_for(service_settings.service_name), service_settings.service_name
    old = StreamConfig(name=stream, subjects=stream_subjects(service), storage=StorageType.FILE, duplicate_window=600)
    await link.js.add_stream(old)  # as declared before the limits existed

    await link.ensure_stream(service)
    assert await _limits(link, stream) == EXPECTED


async def test_the_dead_letter_stream_gets_the_same_limits(settings: Settings, connect: Connect) -> None:
    link = await connect(settings())
    await link.ensure_dlq_stream()
    assert await _limits(link, DLQ_STREAM) == EXPECTED


async def test_the_replica_count_reaches_the_server(settings: Settings, connect: Connect) -> None:
    service_settings = settings(STREAM_REPLICAS="3")
    link = await connect(service_settings)
    with pytest.raises(APIError, match="replicas > 1 not supported in non-clustered mode"):
        await link.ensure_stream(service_settings.service_name)  # a single server cannot hold R3


async def test_a_full_stream_refuses_new_events_and_keeps_the_old_ones(settings: Settings, connect: Connect) -> None:
    service_settings = settings(STREAM_MAX_BYTES="2048")
    link = await connect(service_settings)
    service = service_settings.service_name
    await link.ensure_stream(service)

    stored = 0
    with pytest.raises(APIError, match="maximum bytes exceeded"):
        for _ in range(100):
            await link.js.publish(f"qual.{service}.filled.v1", b"x" * 200, headers={"Nats-Msg-Id": str(uuid.uuid4())})
            stored += 1
    state = (await link.js.stream_info(stream_for(service))).state
    assert stored > 0
    assert (state.first_seq, state.messages) == (1, stored)  # nothing was discarded to make room
