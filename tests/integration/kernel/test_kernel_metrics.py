"""Metrics on real PostgreSQL and nats-server: served requests, published and consumed events."""

from __future__ import annotations

from collections.abc import Callable

from litestar import get

from contracts.base import Event
from services.kernel import BaseSettings, Runtime, Subscription, UnitOfWork
from tests.fixtures.apps import client_of, kernel_app, started
from tests.fixtures.telemetry import MetricReadings
from tests.fixtures.waiting import eventually


class Counted(Event, frozen=True, tag="metrictest.counted.v1"):
    """A test-only event."""

    n: int


async def test_published_and_consumed_events_are_counted(
    settings_for: Callable[..., BaseSettings], metric_readings: MetricReadings
) -> None:
    async def ignore(event: Counted, uow: UnitOfWork) -> None:
        return None

    producer = Runtime(settings=settings_for(service="metrictest"))
    consumer = Runtime(
        settings=settings_for(service="mconsumer"), subscriptions=[Subscription(Counted, ignore, name="counted")]
    )
    published = metric_readings.total("qual.outbox.published")
    await producer.start()
    await consumer.start()
    try:
        handled = metric_readings.total("qual.inbox.handled", consumer="mconsumer-counted")
        async with producer.uow() as uow:
            for n in range(12):
                uow.emit(Counted(aggregate_id=f"agg-{n % 3}", n=n))
            await uow.commit()

        async def counted() -> bool:
            return metric_readings.total("qual.inbox.handled", consumer="mconsumer-counted") >= handled + 12

        await eventually(counted)
        assert metric_readings.total("qual.outbox.published") >= published + 12
    finally:
        await consumer.stop()
        await producer.stop()


async def test_served_requests_are_timed_by_method_and_status(
    settings_for: Callable[..., BaseSettings], metric_readings: MetricReadings
) -> None:
    @get("/teapot", status_code=418)
    async def teapot() -> dict[str, str]:
        return {"status": "teapot"}

    app = kernel_app(settings_for(service="metricapp"), [teapot], nats=False, auth=False)
    labels = {"http.request.method": "GET", "http.response.status_code": 418}
    before = metric_readings.total("http.server.request.duration", **labels)
    async with started(app), client_of(app) as http:
        for _ in range(3):
            assert (await http.get("/teapot")).status_code == 418
    assert metric_readings.total("http.server.request.duration", **labels) == before + 3
