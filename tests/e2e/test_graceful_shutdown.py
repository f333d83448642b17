"""SIGTERM: a service stops accepting, finishes the request in flight (its event published), exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from deploy.local.components import NatsServer, PostgresServer, free_port
from services.kernel.db import database_url_for
from tests.fixtures.infra import random_ref
from tests.fixtures.waiting import eventually

WORK_SECONDS = 1.5


@pytest.fixture
def drain_service(
    repo_root: Path, pg_server: PostgresServer, nats_server: NatsServer, token_keys: tuple[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], str, str]]:
    port, database = free_port(), random_ref("drain")
    env = {
        **os.environ,
        "SERVICE_NAME": "drain",
        "PORT": str(port),
        "DATABASE_URL": pg_server.url,
        "DATABASE_NAME": database,
        "NATS_URL": nats_server.url,
        "INTERNAL_TOKEN_PUBLIC_KEY": token_keys[1],
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.drain_service"], cwd=repo_root, env=env, stderr=subprocess.DEVNULL
    )
    try:
        yield process, f"http://127.0.0.1:{port}", database_url_for(pg_server.url, database)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_sigterm_finishes_the_request_in_flight_publishes_its_event_and_exits_cleanly(
    drain_service: tuple[subprocess.Popen[bytes], str, str], sign: Callable[..., dict[str, str]]
) -> None:
    process, url, dsn = drain_service
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, within=60)
        in_flight = asyncio.create_task(http.post("/work/7", params={"seconds": WORK_SECONDS}, headers=sign()))
        await asyncio.sleep(WORK_SECONDS / 3)  # the request is now sleeping inside the handler
        assert not in_flight.done()
        process.send_signal(signal.SIGTERM)

        response = await in_flight
        assert response.status_code == 200, response.text
        assert response.json() == {"n": 7}

    async def exited() -> bool:
        return process.poll() is not None

    await eventually(exited, within=30)
    assert process.returncode == 0
    async with httpx.AsyncClient(base_url=url, timeout=2) as late:
        with pytest.raises(httpx.ConnectError):  # it accepts nothing any more
            await late.get("/healthz")

    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT subject, sent_at FROM outbox")
    finally:
        await conn.close()
    assert [(row["subject"], row["sent_at"] is not None) for row in rows] == [("qual.drain.work_finished.v1", True)]
