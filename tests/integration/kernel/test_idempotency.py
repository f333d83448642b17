"""Idempotent writes through create_service_app on real PostgreSQL: a retry replays, never re-runs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody

from services.kernel import BaseSettings, UnitOfWork
from services.kernel.idempotency import MAX_BODY_BYTES
from tests.fixtures.apps import client_of, kernel_app, started

Sign = Callable[..., dict[str, str]]
Body = JSONBody[dict[str, Any]]


class Gates:
    """Controls of the test routes: a gate holding the first slow request, failures to give."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.failures = 0


async def insert_thing(data: dict[str, Any], uow: UnitOfWork) -> dict[str, Any]:
    async with uow:
        thing_id = await uow.conn.fetchval("INSERT INTO things (name) VALUES ($1) RETURNING id", data["name"])
        await uow.commit()
    return {"id": thing_id, "name": data["name"]}


@post("/things")
async def add_thing(data: Body, uow: NamedDependency[UnitOfWork]) -> dict[str, Any]:
    return await insert_thing(data, uow)


@post("/slow-things")
async def add_thing_slowly(data: Body, uow: NamedDependency[UnitOfWork], state: State) -> dict[str, Any]:
    gates: Gates = state.gates
    if not gates.entered.is_set():  # only the first request is held
        gates.entered.set()
        await gates.release.wait()
    return await insert_thing(data, uow)


@post("/flaky-things")
async def add_thing_flakily(data: Body, uow: NamedDependency[UnitOfWork], state: State) -> dict[str, Any]:
    gates: Gates = state.gates
    if gates.failures:
        gates.failures -= 1
        raise RuntimeError("a transient failure before anything committed")
    return await insert_thing(data, uow)


@post("/things-then-crash")
async def add_thing_then_fail(data: Body, uow: NamedDependency[UnitOfWork]) -> None:
    await insert_thing(data, uow)
    raise RuntimeError("failed after the commit")


@pytest.fixture
async def app(settings_for: Callable[..., BaseSettings], tmp_path: Path) -> AsyncIterator[Litestar]:
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id serial PRIMARY KEY, name text NOT NULL);")
    service = kernel_app(
        settings_for(service="idem"),
        [add_thing, add_thing_slowly, add_thing_flakily, add_thing_then_fail],
        migrations=tmp_path,
        nats=False,
    )
    service.state.gates = Gates()
    async with started(service):
        yield service


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as http:
        yield http


def pool_of(app: Litestar) -> asyncpg.Pool[Any]:
    pool = app.state.runtime.pool
    assert pool is not None
    return pool


async def things(app: Litestar, name: str) -> int:
    return int(await pool_of(app).fetchval("SELECT count(*) FROM things WHERE name = $1", name))


def headers(sign: Sign, account: str, key: str | None = None) -> dict[str, str]:
    base = sign(account_id=account, audience="idem")
    return {**base, "Idempotency-Key": key} if key is not None else base


async def test_a_retry_with_the_same_key_replays_the_first_response(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    account, key, name = str(uuid.uuid4()), str(uuid.uuid4()), f"n-{uuid.uuid4()}"
    first = await client.post("/things", json={"name": name}, headers=headers(sign, account, key))
    again = await client.post("/things", json={"name": name}, headers=headers(sign, account, key))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["content-type"] == first.headers["content-type"]
    assert await things(app, name) == 1


async def test_without_a_key_or_from_another_caller_the_request_runs_again(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    key, name = str(uuid.uuid4()), f"n-{uuid.uuid4()}"
    for account in (str(uuid.uuid4()), str(uuid.uuid4())):
        answer = await client.post("/things", json={"name": name}, headers=headers(sign, account, key))
        assert answer.status_code == 201
    account = str(uuid.uuid4())
    for _ in range(2):
        assert (await client.post("/things", json={"name": name}, headers=headers(sign, account))).status_code == 201
    assert await things(app, name) == 4


async def test_the_same_key_for_a_different_request_is_refused(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    account, key = str(uuid.uuid4()), str(uuid.uuid4())
    name = f"n-{uuid.uuid4()}"
    assert (await client.post("/things", json={"name": name}, headers=headers(sign, account, key))).status_code == 201
    other = await client.post("/things", json={"name": name + "x"}, headers=headers(sign, account, key))
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert await things(app, name + "x") == 0


async def test_a_concurrent_duplicate_gets_409_while_the_first_is_in_flight(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    gates: Gates = app.state.gates
    account, key, name = str(uuid.uuid4()), str(uuid.uuid4()), f"n-{uuid.uuid4()}"
    auth = headers(sign, account, key)
    first = asyncio.create_task(client.post("/slow-things", json={"name": name}, headers=auth))
    await asyncio.wait_for(gates.entered.wait(), 10)
    duplicate = await client.post("/slow-things", json={"name": name}, headers=auth)
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_in_progress"
    assert "正在处理" in duplicate.json()["message"]
    gates.release.set()
    assert (await first).status_code == 201
    replay = await client.post("/slow-things", json={"name": name}, headers=auth)
    assert replay.status_code == 201 and replay.json() == (await first).json()
    assert await things(app, name) == 1


async def test_a_5xx_is_not_stored_and_the_retry_runs(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    app.state.gates.failures = 1
    account, key, name = str(uuid.uuid4()), str(uuid.uuid4()), f"n-{uuid.uuid4()}"
    failed = await client.post("/flaky-things", json={"name": name}, headers=headers(sign, account, key))
    assert failed.status_code == 500
    retried = await client.post("/flaky-things", json={"name": name}, headers=headers(sign, account, key))
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert await things(app, name) == 1


async def test_a_5xx_after_the_commit_never_runs_the_effect_twice(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    account, key, name = str(uuid.uuid4()), str(uuid.uuid4()), f"n-{uuid.uuid4()}"
    auth = headers(sign, account, key)
    assert (await client.post("/things-then-crash", json={"name": name}, headers=auth)).status_code == 500
    retried = await client.post("/things-then-crash", json={"name": name}, headers=auth)
    assert retried.status_code == 409
    assert retried.json()["code"] == "idempotency_outcome_unknown"
    assert await things(app, name) == 1


@pytest.mark.parametrize("key", ["", "k" * 201])
async def test_a_key_of_bad_length_is_refused_with_400(app, client, sign, key: str) -> None:  # type: ignore[no-untyped-def]
    name = f"n-{uuid.uuid4()}"
    answer = await client.post("/things", json={"name": name}, headers=headers(sign, str(uuid.uuid4()), key))
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_idempotency_key"
    assert await things(app, name) == 0


async def test_a_key_of_200_characters_is_accepted(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    name = f"n-{uuid.uuid4()}"
    auth = headers(sign, str(uuid.uuid4()), "k" * 199 + "z")
    assert (await client.post("/things", json={"name": name}, headers=auth)).status_code == 201


async def test_an_abandoned_claim_is_taken_over_after_its_lease(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    account, key, name = str(uuid.uuid4()), str(uuid.uuid4()), f"n-{uuid.uuid4()}"
    auth = headers(sign, account, key)
    gates: Gates = app.state.gates
    first = asyncio.create_task(client.post("/slow-things", json={"name": name}, headers=auth))
    await asyncio.wait_for(gates.entered.wait(), 10)
    # The first process "died": its claim is older than the lease. A retry takes the key over...
    await pool_of(app).execute(
        "UPDATE idempotency_keys SET created_at = created_at - interval '1 hour' WHERE caller = $1 AND key = $2",
        account,
        key,
    )
    retried = await client.post("/slow-things", json={"name": name}, headers=auth, timeout=None)
    assert retried.status_code == 201
    # ...and the first, still running after all, cannot commit a second effect.
    gates.release.set()
    late = await first
    assert late.status_code == 409
    assert late.json()["code"] == "idempotency_claim_lost"
    assert await things(app, name) == 1


async def test_a_keyed_write_larger_than_it_may_hold_is_refused_whole(app, client, sign) -> None:  # type: ignore[no-untyped-def]
    account, key = str(uuid.uuid4()), str(uuid.uuid4())
    name = "x" * (MAX_BODY_BYTES + 1)
    refused = await client.post("/things", json={"name": name}, headers=headers(sign, account, key))

    assert refused.status_code == 413
    assert refused.json()["code"] == "payload_too_large"
    assert await pool_of(app).fetchval("SELECT count(*) FROM idempotency_keys WHERE key = $1", key) == 0
