"""The inbox consumer on real PostgreSQL and nats-server: one effect per event whatever the
redeliveries, dead-lettering after max_deliver, config updates at start, NATS restarts."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec
import pytest

from contracts.base import Event
from contracts.subjects import DLQ_STREAM, dlq_subject, subject_for
from deploy.local.components import NatsServer
from services.kernel import BaseSettings, Runtime, Subscription, UnitOfWork
from services.kernel.nats import NatsLink
from tests.fixtures.waiting import eventually

STREAM = "QUAL_INBOXTEST"
SUBJECT = "qual.inboxtest.noted.v1"


class Noted(Event, frozen=True, tag="inboxtest.noted.v1"):
    """A test-only event; ``fail`` makes the handler raise."""

    n: int
    fail: bool = False


class Echoed(Event, frozen=True, tag="inboxtest.echoed.v1"):
    """Emitted by the handler, to show that a consumer's events reach its outbox."""

    n: int


class Effects:
    """What the handler saw and did: calls per n (attempts) and, in the database, effects."""

    def __init__(self) -> None:
        self.calls: Counter[int] = Counter()
        self.fail_first: set[int] = set()

    async def handle(self, event: Noted, uow: UnitOfWork) -> None:
        self.calls[event.n] += 1
        async with uow:  # a handler written for HTTP re-enters the consumer's unit of work
            await uow.conn.execute("INSERT INTO effects (n) VALUES ($1)", event.n)
            if event.fail or (event.n in self.fail_first and self.calls[event.n] == 1):
                raise RuntimeError(f"handler refused event {event.n}\nsecond line")
            uow.emit(Echoed(aggregate_id=event.aggregate_id, n=event.n))
            await uow.commit()


Start = Callable[..., Awaitable[Runtime]]


@pytest.fixture
async def link(nats_server: NatsServer) -> AsyncIterator[NatsLink]:
    link = NatsLink(nats_server.url, name="inbox-test")
    await link.connect()
    await link.ensure_stream("inboxtest")
    await link.ensure_dlq_stream()
    await link.js.purge_stream(STREAM)  # each test's new durable delivers the stream from its start
    yield link
    await link.close()


@pytest.fixture
async def start(settings_for: Callable[..., BaseSettings], link: NatsLink) -> AsyncIterator[Start]:
    """``start(effects, **subscription options)``: a consumer service with its own durable."""
    runtimes: list[Runtime] = []
    durable = f"noted{uuid.uuid4().hex[:8]}"
    settings = settings_for(service="inboxc")

    async def launch(effects: Effects, **options: Any) -> Runtime:
        runtime = Runtime(
            settings=settings, subscriptions=[Subscription(Noted, effects.handle, name=durable, **options)]
        )
        await runtime.start()
        assert runtime.pool is not None
        await runtime.pool.execute("CREATE TABLE IF NOT EXISTS effects (n int NOT NULL)")
        runtimes.append(runtime)
        return runtime

    yield launch
    for runtime in runtimes:
        await runtime.stop()


async def publish(link: NatsLink, event: Noted, *, msg_id: str | None = None) -> None:
    headers = {"Nats-Msg-Id": msg_id or str(event.event_id)}
    await link.js.publish(subject_for(Noted), msgspec.json.encode(event), headers=headers)


async def effects_of(runtime: Runtime) -> Counter[int]:
    assert runtime.pool is not None
    return Counter(row["n"] for row in await runtime.pool.fetch("SELECT n FROM effects"))


def durable_of(runtime: Runtime) -> str:
    assert runtime.inbox is not None
    return runtime.inbox._subscriptions[0].durable(runtime.name)


async def settled(link: NatsLink, runtime: Runtime) -> bool:
    """Every delivered message is acknowledged or terminated: nothing will come back."""
    info = await link.js.consumer_info(STREAM, durable_of(runtime))
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_a_redelivered_event_has_one_effect(link: NatsLink, start: Start) -> None:
    effects = Effects()
    consumer = await start(effects)
    events = [Noted(aggregate_id="a", n=n) for n in range(5)]
    for event in events:
        await publish(link, event)
        await publish(link, event, msg_id=f"again-{event.event_id}")  # same event, not deduplicated
    await eventually(lambda: settled(link, consumer))
    assert await effects_of(consumer) == Counter(range(5))
    assert consumer.pool is not None
    echoed = await consumer.pool.fetchval("SELECT count(*) FROM outbox WHERE subject = $1", subject_for(Echoed))
    assert echoed == 5


async def test_a_failed_attempt_is_retried_after_a_nak_and_takes_effect_once(link: NatsLink, start: Start) -> None:
    effects = Effects()
    effects.fail_first = {1, 3}
    for n in range(5):  # published before the consumer starts: one batch, whose failures must
        await publish(link, Noted(aggregate_id="a", n=n))  # neither undo nor repeat the others
    consumer = await start(effects, retry_delay=0.05)
    await eventually(lambda: settled(link, consumer))
    assert await effects_of(consumer) == Counter(range(5))
    assert effects.calls[1] >= 2 and effects.calls[3] >= 2


async def test_an_always_failing_event_is_dead_lettered_after_max_deliver(link: NatsLink, start: Start) -> None:
    effects = Effects()
    consumer = await start(effects, max_deliver=3, retry_delay=0.05)
    poison = Noted(aggregate_id="a", n=99, fail=True)
    before = (await link.js.stream_info(DLQ_STREAM)).state.last_seq
    await publish(link, poison)
    await publish(link, Noted(aggregate_id="a", n=1))
    dlq = dlq_subject(durable_of(consumer))

    async def dead_lettered() -> bool:
        return (await link.js.stream_info(DLQ_STREAM)).state.last_seq > before

    await eventually(dead_lettered)
    msg = await link.js.get_last_msg(DLQ_STREAM, dlq)
    headers = msg.headers or {}
    assert "RuntimeError: handler refused event 99 second line" in headers["Qual-Error"]
    assert headers["Qual-Original-Subject"] == SUBJECT
    assert msgspec.json.decode(msg.data or b"", type=Noted) == poison
    await eventually(lambda: settled(link, consumer))  # terminated: never delivered again
    info = await link.js.consumer_info(STREAM, durable_of(consumer))
    assert info.delivered.consumer_seq == 3 + 1  # the poison exactly max_deliver times, the good event once
    # A delivery that shared its pull batch with the good event ran the handler twice (the batch, then
    # the poison alone in a savepoint), both rolled back: 3 calls, or 4 when the two came together.
    assert effects.calls[99] in (3, 4)
    assert await effects_of(consumer) == Counter([1])


async def test_an_undecodable_message_is_dead_lettered_at_once(link: NatsLink, start: Start) -> None:
    effects = Effects()
    consumer = await start(effects)
    await link.js.publish(SUBJECT, b'{"type": "inboxtest.noted.v1", "n": "not a number"}')
    dlq = dlq_subject(durable_of(consumer))

    async def dead_lettered() -> bool:
        try:
            msg = await link.js.get_last_msg(DLQ_STREAM, dlq)
        except Exception:
            return False
        return "undecodable" in (msg.headers or {}).get("Qual-Error", "")

    await eventually(dead_lettered)
    await eventually(lambda: settled(link, consumer))
    assert not effects.calls


async def test_a_changed_consumer_config_is_applied_at_start(link: NatsLink, start: Start) -> None:
    first = await start(Effects(), max_deliver=3, ack_wait=10.0)
    durable = durable_of(first)
    info = await link.js.consumer_info(STREAM, durable)
    assert (info.config.max_deliver, info.config.ack_wait) == (3, 10.0)
    await first.stop()
    await start(Effects(), max_deliver=7, ack_wait=20.0)
    info = await link.js.consumer_info(STREAM, durable)
    assert (info.config.max_deliver, info.config.ack_wait) == (7, 20.0)


async def test_consuming_resumes_after_a_nats_restart(link: NatsLink, start: Start, nats_server: NatsServer) -> None:
    effects = Effects()
    consumer = await start(effects)
    await publish(link, Noted(aggregate_id="a", n=0))
    await eventually(lambda: _effects_are(consumer, Counter([0])))
    await asyncio.to_thread(nats_server.restart)
    await eventually(lambda: _connected(link), within=20)
    await publish(link, Noted(aggregate_id="a", n=1))
    await eventually(lambda: _effects_are(consumer, Counter([0, 1])), within=20)


async def test_a_deleted_consumer_is_declared_again(link: NatsLink, start: Start) -> None:
    effects = Effects()
    consumer = await start(effects)
    await link.js.delete_consumer(STREAM, durable_of(consumer))
    await publish(link, Noted(aggregate_id="a", n=5))
    await eventually(lambda: _effects_are(consumer, Counter([5])), within=20)


async def test_stop_returns_promptly_while_the_feed_waits(start: Start) -> None:
    consumer = await start(Effects())
    await asyncio.wait_for(consumer.stop(), timeout=2.5)  # an idle pull waits 5 s; stop must not


async def _effects_are(runtime: Runtime, expected: Counter[int]) -> bool:
    return await effects_of(runtime) == expected


async def _connected(link: NatsLink) -> bool:
    return link.is_connected
