"""One trace from the portal to a consumer: gateway → identity → outbox/NATS → another service's inbox.

The portal's 注册 form goes through the gateway (real HTTP, granian) to identity (real HTTP,
PostgreSQL), whose ``UnitAccountRegisteredV2`` event travels through the outbox relay and JetStream
to a consumer of another service. Every span is read from an in-memory exporter; the trace id of
the gateway's server span must be the one of the consumer's span.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts.identity.events import UnitAccountRegisteredV2
from services.kernel import BaseSettings, Runtime, Subscription, UnitOfWork
from services.kernel.telemetry import setup_telemetry
from tests.builders.identity import a_registration
from tests.fixtures.waiting import eventually


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    setup_telemetry("trace-test", span_exporter=exporter)
    yield exporter
    exporter.shutdown()  # stays attached to the process's provider, but records nothing more


@pytest.fixture
async def consumer(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[dict[str, str]]:
    """Another service's inbox subscribed to UnitAccountRegisteredV2: unit name → its trace id."""
    seen: dict[str, str] = {}

    async def remember(event: UnitAccountRegisteredV2, uow: UnitOfWork) -> None:
        context = trace.get_current_span().get_span_context()
        seen[event.unit_name] = format(context.trace_id, "032x")

    runtime = Runtime(
        settings=settings_for(BaseSettings, service="tracewatch"),
        subscriptions=[Subscription(UnitAccountRegisteredV2, remember, name="registered")],
    )
    await runtime.start()
    try:
        yield seen
    finally:
        await runtime.stop()


def _trace_of(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.trace_id, "032x")


async def test_one_trace_runs_from_the_portal_through_identity_and_nats_to_a_consumer(
    spans: InMemorySpanExporter, launch: Any, identity: Any, consumer: dict[str, str], portal: Any
) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    form = a_registration()
    token = await visitor.page_token("/register")
    spans.clear()

    response = await visitor.http.post("/register", data={**form, "_csrf": token})
    assert response.status_code == 303, response.text

    async def consumed() -> bool:
        return form["unit_name"] in consumer

    await eventually(consumed)
    finished = spans.get_finished_spans()
    portal_span = next(s for s in finished if s.name == "POST /register" and s.kind == trace.SpanKind.SERVER)
    trace_id = _trace_of(portal_span)
    in_trace = [s for s in finished if _trace_of(s) == trace_id]
    names = {(s.name, s.kind) for s in in_trace}
    assert ("POST identity", trace.SpanKind.CLIENT) in names  # the gateway's call to identity
    assert ("POST /accounts", trace.SpanKind.SERVER) in names  # identity serving it
    assert any(name.startswith("consume qual.identity.") for name, _ in names)  # the consumer
    assert consumer[form["unit_name"]] == trace_id  # the handler ran inside that same trace
