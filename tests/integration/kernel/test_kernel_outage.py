"""A service rides out a PostgreSQL or NATS outage: 503 with the error body and ``Retry-After``
while the database is down (never a 500), served again once it is back, without a restart.

Each test runs a small service on the kernel against its own PostgreSQL and nats-server, so
stopping them disturbs no other test.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody

from contracts.base import Event
from deploy.local.components import NatsServer, PostgresServer, free_port
from services.kernel import BaseSettings, Runtime, UnitOfWork, load_settings
from services.kernel.errors import RETRY_AFTER_SECONDS
from tests.fixtures.apps import client_of, kernel_app, started
from tests.fixtures.waiting import eventually

SERVICE = "outagetest"
STREAM = "QUAL_OUTAGETEST"
UNAVAILABLE = {"code": "service_unavailable", "message": "服务暂时不可用，请稍后再试", "details": None}
Sign = Callable[..., dict[str, str]]


class Noted(Event, frozen=True, tag="outagetest.noted.v1"):
    """A test-only event: a note was written."""

    text: str


class Gate:
    """Holds a request inside its open transaction until the test lets it go on."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()


async def write_note(text: str, uow: UnitOfWork) -> dict[str, Any]:
    async with uow:
        note_id = await uow.conn.fetchval("INSERT INTO notes (text) VALUES ($1) RETURNING id", text)
        uow.emit(Noted(aggregate_id=str(note_id), text=text))
        await uow.commit()
    return {"id": note_id}


@post("/notes")
async def add_note(data: JSONBody[dict[str, str]], uow: NamedDependency[UnitOfWork]) -> dict[str, Any]:
    return await write_note(data["text"], uow)


@get("/notes/count")
async def count_notes(uow: NamedDependency[UnitOfWork]) -> dict[str, int]:
    async with uow.reading() as conn:
        return {"count": await conn.fetchval("SELECT count(*) FROM notes")}


@post("/held-notes")
async def add_note_held(data: JSONBody[dict[str, str]], uow: NamedDependency[UnitOfWork], state: State) -> None:
    gate: Gate = state.gate
    async with uow:
        await uow.conn.execute("INSERT INTO notes (text) VALUES ($1)", data["text"])
        gate.entered.set()
        await gate.release.wait()  # the server stops here, under the open transaction
        await uow.conn.execute("INSERT INTO notes (text) VALUES ($1)", data["text"])
        await uow.commit()


@get("/used-after-release")
async def use_after_release(uow: NamedDependency[UnitOfWork]) -> None:
    async with uow.reading() as conn:
        pass
    await conn.fetchval("SELECT 1")  # a bug: the connection is back in the pool


@dataclass
class Service:
    app: Litestar
    client: httpx.AsyncClient
    postgres: PostgresServer
    nats: NatsServer
    headers: dict[str, str]

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def write(self, text: str = "", **headers: str) -> httpx.Response:
        return await self.client.post("/notes", json={"text": text or uuid.uuid4().hex}, headers=self.headers | headers)


def _settings(postgres: PostgresServer, nats: NatsServer, token_keys: tuple[str, str]) -> BaseSettings:
    return load_settings(
        BaseSettings,
        {},
        service_name=SERVICE,
        database_url=postgres.url,
        nats_url=nats.url,
        internal_token_private_key=token_keys[0],
        internal_token_public_key=token_keys[1],
        log_json=False,
    )


@pytest.fixture
async def service(tmp_path: Path, token_keys: tuple[str, str], sign: Sign) -> AsyncIterator[Service]:
    """The app started on a PostgreSQL and a nats-server of its own (built here: building an app sets
    up logging, which would drop ``caplog``'s handler in the test)."""
    postgres = PostgresServer(tmp_path / "pg", free_port(), durable=False)
    nats = NatsServer(tmp_path / "nats")
    await asyncio.to_thread(postgres.start)
    await asyncio.to_thread(nats.start)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_notes.sql").write_text("CREATE TABLE notes (id serial PRIMARY KEY, text text);")
    routes = [add_note, count_notes, add_note_held, use_after_release]
    app = kernel_app(_settings(postgres, nats, token_keys), routes, migrations=tmp_path / "migrations")
    app.state.gate = Gate()
    try:
        async with started(app), client_of(app) as client:
            yield Service(app, client, postgres, nats, sign(audience=SERVICE))
    finally:
        await asyncio.to_thread(nats.stop)
        await asyncio.to_thread(postgres.stop)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json() == UNAVAILABLE
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def test_while_postgres_is_down_requests_are_503_and_once_it_is_back_they_succeed(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    written = [await service.write() for _ in range(3)]
    assert [response.status_code for response in written] == [201, 201, 201]
    caplog.set_level(logging.WARNING)

    await asyncio.to_thread(service.postgres.stop)
    assert_unavailable(await service.write())
    assert_unavailable(await service.write(**{"idempotency-key": uuid.uuid4().hex}))
    assert_unavailable(await service.client.get("/notes/count", headers=service.headers))
    ready = await service.client.get("/readyz")
    assert (ready.status_code, ready.json()["status"], ready.json()["checks"]["database"]) == (503, "degraded", "down")
    assert (await service.client.get("/healthz")).status_code == 200
    assert errors_logged(caplog) == []
    assert any("answered 503" in record.getMessage() for record in caplog.records)

    await asyncio.to_thread(service.postgres.start)  # the same port: the pool finds it there

    async def writes_again() -> bool:
        response = await service.write()
        assert response.status_code in (201, 503), response.text
        written.append(response)
        return response.status_code == 201

    await eventually(writes_again, within=30, every=0.1)
    after = [await service.write() for _ in range(5)]
    assert [response.status_code for response in after] == [201] * 5
    assert (await service.client.get("/readyz")).status_code == 200
    count = await service.client.get("/notes/count", headers=service.headers)
    assert count.json() == {"count": sum(r.status_code == 201 for r in written + after)}
    assert errors_logged(caplog) == []


async def test_a_connection_lost_inside_an_open_transaction_is_503(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    gate: Gate = service.app.state.gate
    held = asyncio.create_task(
        service.client.post("/held-notes", json={"text": "held"}, headers=service.headers | {"idempotency-key": "k1"})
    )
    await asyncio.wait_for(gate.entered.wait(), 10)
    await asyncio.to_thread(service.postgres.stop)
    gate.release.set()
    assert_unavailable(await held)
    assert not [record for record in caplog.records if record.getMessage() == "unhandled error"]

    await asyncio.to_thread(service.postgres.start)
    await eventually(lambda: _status_is(service.write(), 201), within=30, every=0.1)
    count = await service.client.get("/notes/count", headers=service.headers)
    assert count.json() == {"count": 1}, "the held transaction rolled back"


async def test_a_connection_used_after_release_is_still_a_bug_while_the_database_is_up(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    response = await service.client.get("/used-after-release", headers=service.headers)
    assert response.status_code == 500
    assert response.json()["code"] == "internal"
    assert any(record.getMessage() == "unhandled error" for record in caplog.records)


async def test_writes_succeed_while_nats_is_down_and_their_events_follow_once_it_is_back(
    service: Service,
) -> None:
    """No request waits for NATS (the outbox is asynchronous): a NATS outage only makes /readyz degraded."""
    await asyncio.to_thread(service.nats.stop)
    try:
        written = [await service.write() for _ in range(5)]
        assert [response.status_code for response in written] == [201] * 5
        ready = await service.client.get("/readyz")
        assert (ready.status_code, ready.json()["checks"]["nats"]) == (503, "down")
    finally:
        await asyncio.to_thread(service.nats.start)
    await eventually(lambda: _status_is(service.client.get("/readyz"), 200), within=30)
    ids = {str(response.json()["id"]) for response in written}
    await eventually(lambda: _published(service.runtime, ids), within=30)


async def _status_is(request: Any, status: int) -> bool:
    response: httpx.Response = await request
    return response.status_code == status


async def _published(runtime: Runtime, ids: set[str]) -> bool:
    """Every note's event is in the stream, once."""
    assert runtime.link is not None
    info = await runtime.link.js.stream_info(STREAM)
    seen: list[str] = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
        message = await runtime.link.js.get_msg(STREAM, seq)
        seen.append(msgspec.json.decode(message.data or b"", type=Noted).aggregate_id)
    assert len(seen) == len(set(seen)), "an event reached the stream twice"
    return set(seen) == ids
