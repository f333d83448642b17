"""The outbox relay on real PostgreSQL and nats-server: order per aggregate through a NATS outage,
no duplicates in the stream, one relay per database, and a flushing stop."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import msgspec
import pytest

from contracts.base import Event
from deploy.local.components import NatsServer
from services.kernel import BaseSettings, Runtime
from services.kernel.db import create_pool
from services.kernel.migrations import KERNEL_MIGRATIONS, apply_migrations
from services.kernel.nats import NatsLink
from services.kernel.outbox import _RELAY_LOCK, OutboxRelay
from services.kernel.uow import write_outbox
from tests.fixtures.waiting import eventually

STREAM = "QUAL_RELAYTEST"


class Moved(Event, frozen=True, tag="relaytest.moved.v1"):
    """A test-only event: step ``n`` of its aggregate."""

    n: int


async def stream_messages(link: NatsLink) -> list[tuple[str, Moved]]:
    """(Nats-Msg-Id, event) of every message in the test stream, in stream order."""
    info = await link.js.stream_info(STREAM)
    found = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
        msg = await link.js.get_msg(STREAM, seq)
        found.append(((msg.headers or {})["Nats-Msg-Id"], msgspec.json.decode(msg.data or b"", type=Moved)))
    return found


async def unsent(pool: asyncpg.Pool[Any]) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))


@pytest.fixture
async def producer(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[Runtime]:
    runtime = Runtime(settings=settings_for(service="relaytest"))
    await runtime.start()
    assert runtime.link is not None
    await runtime.link.js.purge_stream(STREAM)
    yield runtime
    await runtime.stop()


@pytest.fixture
async def parts(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[tuple[asyncpg.Pool[Any], NatsLink]]:
    """A pool on a fresh migrated database and a NATS link with the test stream, empty."""
    settings = settings_for(service="relaytest")
    pool = await create_pool(settings)
    async with pool.acquire() as conn:
        await apply_migrations(conn, [("kernel", KERNEL_MIGRATIONS)])
    link = NatsLink(settings.nats_url, name="relay-test")
    await link.connect()
    await link.ensure_stream("relaytest")
    await link.js.purge_stream(STREAM)
    yield pool, link
    await link.close()
    await pool.close()


async def emit(runtime: Runtime, aggregates: list[str], steps: range) -> None:
    """One transaction per step, each moving every aggregate once."""
    for n in steps:
        async with runtime.uow() as uow:
            for aggregate in aggregates:
                uow.emit(Moved(aggregate_id=aggregate, n=n))
            await uow.commit()


def assert_in_order_once(messages: list[tuple[str, Moved]], aggregates: list[str], steps: int) -> None:
    assert len({msg_id for msg_id, _ in messages}) == len(messages), "a duplicate reached the stream"
    assert all(msg_id == str(event.event_id) for msg_id, event in messages)
    for aggregate in aggregates:
        assert [event.n for _, event in messages if event.aggregate_id == aggregate] == list(range(steps))


async def test_events_committed_while_nats_is_down_follow_in_order_once_it_is_back(
    producer: Runtime, nats_server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    assert producer.pool is not None and producer.link is not None
    pool, link = producer.pool, producer.link
    aggregates = [f"agg-{uuid.uuid4().hex[:6]}" for _ in range(5)]
    await emit(producer, aggregates, range(10))
    await eventually(lambda: _zero(unsent(pool)))
    caplog.set_level(logging.INFO, logger="services.kernel.outbox")
    await asyncio.to_thread(nats_server.stop)
    try:
        await emit(producer, aggregates, range(10, 30))
        await eventually(lambda: _has_warned(caplog))
        assert await unsent(pool) == 5 * 20
    finally:
        await asyncio.to_thread(nats_server.start)
    await eventually(lambda: _zero(unsent(pool)), within=30)
    assert_in_order_once(await stream_messages(link), aggregates, 30)
    outage_warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name.endswith("outbox")]
    assert 1 <= len(outage_warnings) <= 2, "the relay must not flood the log while NATS is down"
    assert any("recovered" in r.getMessage() for r in caplog.records)


async def _zero(count: Any) -> bool:
    return await count == 0


async def _has_warned(caplog: pytest.LogCaptureFixture) -> bool:
    return any(r.levelno == logging.WARNING and r.name.endswith("outbox") for r in caplog.records)


async def test_a_row_published_again_is_dropped_by_the_duplicate_window(producer: Runtime) -> None:
    assert producer.pool is not None and producer.link is not None and producer.relay is not None
    pool, link = producer.pool, producer.link
    aggregates = [f"agg-{uuid.uuid4().hex[:6]}" for _ in range(3)]
    await emit(producer, aggregates, range(4))
    await eventually(lambda: _zero(unsent(pool)))
    before = await stream_messages(link)
    # A crash between the PubAck and the sent_at update: the rows are relayed a second time.
    await pool.execute("UPDATE outbox SET sent_at = NULL")
    producer.relay.notify()
    await eventually(lambda: _zero(unsent(pool)))
    assert await pool.fetchval("SELECT min(attempts) FROM outbox") == 2
    after = await stream_messages(link)
    assert [msg_id for msg_id, _ in after] == [msg_id for msg_id, _ in before]
    assert_in_order_once(after, aggregates, 4)


async def test_stop_publishes_what_is_pending(parts: tuple[asyncpg.Pool[Any], NatsLink]) -> None:
    pool, link = parts
    relay = OutboxRelay(pool, link, batch_size=50, poll_interval=60)
    relay.start()
    aggregates = [f"agg-{uuid.uuid4().hex[:6]}" for _ in range(4)]
    async with pool.acquire() as conn, conn.transaction():  # written without waking the relay
        await write_outbox(conn, [Moved(aggregate_id=a, n=n) for n in range(30) for a in aggregates])
    await relay.stop(flush_timeout=20)
    assert await unsent(pool) == 0
    assert_in_order_once(await stream_messages(link), aggregates, 30)


async def test_only_one_relay_per_database_publishes_at_a_time(parts: tuple[asyncpg.Pool[Any], NatsLink]) -> None:
    pool, link = parts
    async with pool.acquire() as conn, conn.transaction():
        await write_outbox(conn, [Moved(aggregate_id="agg-lock", n=0)])
    relay = OutboxRelay(pool, link)
    async with pool.acquire() as holder, holder.transaction():
        assert await holder.fetchval("SELECT pg_try_advisory_xact_lock($1)", _RELAY_LOCK)
        assert await relay.relay_once() == (0, 0, True)
        assert await unsent(pool) == 1
    assert await relay.relay_once() == (1, 0, False)


async def test_two_relays_on_one_database_publish_each_row_once_in_order(
    parts: tuple[asyncpg.Pool[Any], NatsLink],
) -> None:
    pool, link = parts
    relays = [OutboxRelay(pool, link, batch_size=25, poll_interval=0.05) for _ in range(2)]
    for relay in relays:
        relay.start()
    aggregates = [f"agg-{uuid.uuid4().hex[:6]}" for _ in range(8)]
    try:
        for n in range(25):
            async with pool.acquire() as conn, conn.transaction():
                await write_outbox(conn, [Moved(aggregate_id=a, n=n) for a in aggregates])
            for relay in relays:
                relay.notify()
        await eventually(lambda: _zero(unsent(pool)))
    finally:
        for relay in relays:
            await relay.stop()
    assert await pool.fetchval("SELECT max(attempts) FROM outbox") == 1, "a row was published by both relays"
    assert_in_order_once(await stream_messages(link), aggregates, 25)


async def test_a_second_writer_of_one_aggregate_waits_for_the_first_to_commit(
    parts: tuple[asyncpg.Pool[Any], NatsLink],
) -> None:
    """So ids of one aggregate follow commit order and the relay never sees them out of order."""
    pool, _ = parts
    first, second = await pool.acquire(), await pool.acquire()
    try:
        tx = first.transaction()
        await tx.start()
        await write_outbox(first, [Moved(aggregate_id="agg-x", n=0)])

        async def later_writer() -> None:
            async with second.transaction():
                await write_outbox(second, [Moved(aggregate_id="agg-x", n=1)])

        writer = asyncio.create_task(later_writer())
        await eventually(lambda: _waiting_on_advisory_lock(pool))
        assert not writer.done()
        await tx.commit()
        await writer
    finally:
        await pool.release(first)
        await pool.release(second)
    rows = await pool.fetch("SELECT payload FROM outbox ORDER BY id")
    assert [msgspec.json.decode(row["payload"], type=Moved).n for row in rows] == [0, 1]


async def _waiting_on_advisory_lock(pool: asyncpg.Pool[Any]) -> bool:
    return bool(await pool.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
