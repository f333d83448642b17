"""SIGTERM: a service stops accepting, finishes the request in flight (its event published), exits 0.

No timing is guessed: the handler says it has started and holds until the test releases it
(tests/e2e/drain_service.py), so the SIGTERM provably arrives while the request is in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from deploy.local.components import NatsServer, PostgresServer, free_port
from services.kernel.db import database_url_for
from tests.fixtures.infra import random_ref
from tests.fixtures.waiting import eventually


@dataclass
class DrainService:
    process: subprocess.Popen[bytes]
    url: str
    dsn: str
    signals: Path  # the handshake files (tests/e2e/drain_service.py)
    log: Path

    def started(self, n: int) -> bool:
        return (self.signals / f"work-{n}.started").exists()

    def release(self, n: int) -> None:
        (self.signals / f"work-{n}.release").touch()


@pytest.fixture
def drain_service(
    repo_root: Path,
    pg_server: PostgresServer,
    nats_server: NatsServer,
    token_keys: tuple[str, str],
    tmp_path: Path,
) -> Iterator[DrainService]:
    port, database = free_port(), random_ref("drain")
    signals, log = tmp_path / "signals", tmp_path / "drain.log"
    signals.mkdir()
    env = {
        **os.environ,
        "SERVICE_NAME": "drain",
        "PORT": str(port),
        "DATABASE_URL": pg_server.url,
        "DATABASE_NAME": database,
        "NATS_URL": nats_server.url,
        "INTERNAL_TOKEN_PUBLIC_KEY": token_keys[1],
        "SIGNAL_DIR": str(signals),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.drain_service"],
            cwd=repo_root,
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own process group: granian's workers go with it at teardown
        )
    service = DrainService(
        process=process,
        url=f"http://127.0.0.1:{port}",
        dsn=database_url_for(pg_server.url, database),
        signals=signals,
        log=log,
    )
    try:
        yield service
    finally:
        with contextlib.suppress(ProcessLookupError):  # nothing of the group is left
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


async def test_sigterm_finishes_the_request_in_flight_publishes_its_event_and_exits_cleanly(
    drain_service: DrainService, sign: Callable[..., dict[str, str]]
) -> None:
    service, process = drain_service, drain_service.process
    async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, within=60)
        in_flight = asyncio.create_task(http.post("/work/7", headers=sign(audience="drain")))
        await eventually(_async(lambda: service.started(7)), within=20)  # inside the handler, held there
        process.send_signal(signal.SIGTERM)
        await eventually(_async(lambda: not _accepts(service.url)), within=20)  # the signal took effect
        assert process.poll() is None, "the service exited with a request in flight"
        assert not in_flight.done()
        service.release(7)

        response = await in_flight
        assert response.status_code == 200, response.text
        assert response.json() == {"n": 7}

    await eventually(_async(lambda: process.poll() is not None), within=30)
    assert process.returncode == 0, service.log.read_text(errors="replace")
    async with httpx.AsyncClient(base_url=service.url, timeout=2) as late:
        with pytest.raises(httpx.ConnectError):  # it accepts nothing any more
            await late.get("/healthz")

    conn = await asyncpg.connect(service.dsn)
    try:
        rows = await conn.fetch("SELECT subject, sent_at FROM outbox")
    finally:
        await conn.close()
    assert [(row["subject"], row["sent_at"] is not None) for row in rows] == [("qual.drain.work_finished.v1", True)]


def _accepts(url: str) -> bool:
    """Whether the service's port takes a new connection."""
    host, port = url.removeprefix("http://").split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def _async(check: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def run() -> bool:
        return check()

    return run
