"""The unit of work on real PostgreSQL: reads without a transaction, reads inside one, rollback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from services.kernel import BaseSettings, Runtime


@pytest.fixture
async def runtime(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[Runtime]:
    runtime = Runtime(settings=settings_for(service="uowtest"), needs_nats=False)
    await runtime.start()
    assert runtime.pool is not None
    await runtime.pool.execute("CREATE TABLE notes (body text NOT NULL)")
    yield runtime
    await runtime.stop()


async def test_reading_outside_a_unit_of_work_runs_without_a_transaction(runtime: Runtime) -> None:
    uow = runtime.uow()
    async with uow.reading() as conn:
        assert not conn.is_in_transaction()
        assert await conn.fetchval("SELECT count(*) FROM notes") == 0


async def test_reading_inside_a_unit_of_work_sees_its_uncommitted_writes(runtime: Runtime) -> None:
    uow = runtime.uow()
    async with uow:
        await uow.conn.execute("INSERT INTO notes VALUES ('草稿')")
        async with uow.reading() as conn:
            assert conn is uow.conn
            assert await conn.fetchval("SELECT body FROM notes") == "草稿"
    async with runtime.uow().reading() as conn:  # never committed: rolled back at exit
        assert await conn.fetchval("SELECT count(*) FROM notes") == 0
