"""Outbox → JetStream → inbox through real PostgreSQL and nats-server."""

from __future__ import annotations

from contracts.base import Event
from services.kernel import Runtime, Subscription, UnitOfWork
from tests.fixtures.waiting import eventually


class Pinged(Event, frozen=True, tag="kerneltest.pinged.v1"):
    """A test-only event."""

    n: int


async def test_events_flow_once_from_outbox_to_inbox(settings_for) -> None:  # type: ignore[no-untyped-def]
    producer = Runtime(settings=settings_for(service="kerneltest"))
    seen: list[int] = []

    async def record(event: Pinged, uow: UnitOfWork) -> None:
        await uow.conn.execute("CREATE TABLE IF NOT EXISTS effects (n int PRIMARY KEY)")
        await uow.conn.execute("INSERT INTO effects VALUES ($1)", event.n)
        seen.append(event.n)

    consumer = Runtime(
        settings=settings_for(service="kconsumer"),
        subscriptions=[Subscription(Pinged, record, name="pinged")],
    )
    await producer.start()
    await consumer.start()
    try:
        async with producer.uow() as uow:
            for n in range(20):
                uow.emit(Pinged(aggregate_id="agg-1", n=n))
            await uow.commit()
        assert consumer.pool is not None
        pool = consumer.pool

        async def all_effects() -> bool:
            return len(seen) == 20

        await eventually(all_effects)
        assert seen == list(range(20))
        rows = await pool.fetchval("SELECT count(*) FROM effects")
        assert rows == 20
    finally:
        await consumer.stop()
        await producer.stop()


async def test_rolled_back_work_emits_nothing(settings_for) -> None:  # type: ignore[no-untyped-def]
    producer = Runtime(settings=settings_for(service="kerneltest"), needs_nats=False)
    await producer.start()
    try:
        async with producer.uow() as uow:
            uow.emit(Pinged(aggregate_id="agg-2", n=1))
            # no commit: the context exit rolls back
        assert producer.pool is not None
        assert await producer.pool.fetchval("SELECT count(*) FROM outbox") == 0
    finally:
        await producer.stop()
