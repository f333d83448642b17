"""A connection lent by ``UnitOfWork.reading()`` goes back to the pool without the session reset
(a second round trip on every small read); any other connection still gets it, so a session
advisory lock (a job's leadership) never outlives its holder's release."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from services.kernel import BaseSettings, Runtime

LOCK = 0x4831


@pytest.fixture
async def runtime(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[Runtime]:
    runtime = Runtime(settings=settings_for(service="readrelease"), needs_nats=False)
    await runtime.start()
    yield runtime
    await runtime.stop()


def _recorder(seen: list[str]) -> Callable[[Any], None]:
    return lambda record: seen.append(record.query)


async def test_a_connection_lent_for_reads_goes_back_without_the_reset(runtime: Runtime) -> None:
    seen: list[str] = []
    async with runtime.uow().reading() as conn:
        conn.add_query_logger(_recorder(seen))
        assert await conn.fetchval("SELECT 41 + 1") == 42
    assert seen == ["SELECT 41 + 1"]


async def test_any_other_release_still_resets_the_session(runtime: Runtime) -> None:
    assert runtime.pool is not None
    seen: list[str] = []
    async with runtime.pool.acquire() as conn:
        conn.add_query_logger(_recorder(seen))
        await conn.execute("SELECT pg_advisory_lock($1)", LOCK)
    assert any("pg_advisory_unlock_all" in query for query in seen)
    async with runtime.uow().reading() as conn:
        held = await conn.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", LOCK)
    assert held == 0


async def test_a_unit_of_work_still_resets_its_connection(runtime: Runtime) -> None:
    seen: list[str] = []
    async with runtime.uow() as uow:
        uow.conn.add_query_logger(_recorder(seen))
        await uow.conn.execute("SET application_name = 'changed'")
        await uow.commit()
    assert any("RESET ALL" in query for query in seen)


async def test_a_read_cut_short_goes_back_through_the_full_reset(runtime: Runtime) -> None:
    # a read cancelled mid-query (as when PostgreSQL stops under load) must not hand the next
    # request a connection with an operation still in progress
    seen: list[str] = []
    with contextlib.suppress(TimeoutError):
        async with runtime.uow().reading() as conn:
            conn.add_query_logger(_recorder(seen))
            await asyncio.wait_for(conn.fetchval("SELECT pg_sleep(5)"), timeout=0.1)
    for _ in range(3):
        async with runtime.uow().reading() as again:
            assert await again.fetchval("SELECT 1") == 1
    assert any("pg_advisory_unlock_all" in query or "RESET ALL" in query for query in seen)
