"""Chaos: 1,000 events from one service to another while nats-server restarts and the consumer
process is killed (SIGKILL) and started again → exactly 1,000 effects, none twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

from deploy.local.components import NatsServer, PostgresServer
from services.kernel import BaseSettings, Runtime
from services.kernel.db import database_url_for
from tests.e2e.chaos_consumer import ChaosPinged
from tests.fixtures.infra import random_ref
from tests.fixtures.waiting import eventually

EVENTS = 1_000
AGGREGATES = 8
PER_TRANSACTION = 25


class ConsumerProcess:
    """``python -m tests.e2e.chaos_consumer`` with its settings in the environment."""

    def __init__(self, repo_root: Path, env: dict[str, str]) -> None:
        self.repo_root = repo_root
        self.env = env
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.e2e.chaos_consumer",
            cwd=self.repo_root,
            env={**os.environ, **self.env},
            stdout=asyncio.subprocess.PIPE,
        )
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), 30)
        assert line.strip() == b"ready", "the consumer process did not start"

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def emit(producer: Runtime, *, pace: float) -> None:
    """All events, ``PER_TRANSACTION`` per transaction over several aggregates, one transaction
    every ``pace`` seconds: the load keeps flowing while the test breaks things."""
    for first in range(0, EVENTS, PER_TRANSACTION):
        async with producer.uow() as uow:
            for n in range(first, min(EVENTS, first + PER_TRANSACTION)):
                uow.emit(ChaosPinged(aggregate_id=f"chaos-{n % AGGREGATES}", n=n))
            await uow.commit()
        await asyncio.sleep(pace)


@pytest.mark.slow
async def test_events_survive_a_nats_restart_and_a_killed_consumer(
    pg_server: PostgresServer,
    nats_server: NatsServer,
    settings_for: Callable[..., BaseSettings],
    repo_root: Path,
) -> None:
    database = random_ref("chaosc")
    consumer = ConsumerProcess(
        repo_root,
        {
            "DATABASE_URL": pg_server.url,
            "DATABASE_NAME": database,
            "NATS_URL": nats_server.url,
            "SERVICE_NAME": f"chaosc{random_ref('')}",
            "LOG_LEVEL": "WARNING",
        },
    )
    producer = Runtime(settings=settings_for(service="chaos"))
    await producer.start()
    assert producer.link is not None and producer.pool is not None
    outbox = producer.pool
    await producer.link.js.purge_stream("QUAL_CHAOS")
    await consumer.start()
    effects = await asyncpg.connect(database_url_for(pg_server.url, database))

    async def at_least(count: int) -> bool:
        return await effects.fetchval("SELECT count(*) FROM chaos_effects") >= count

    async def relayed(count: int) -> bool:
        return await outbox.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL") >= count

    load = asyncio.create_task(emit(producer, pace=0.04))
    try:
        await eventually(lambda: at_least(200), within=20)
        await consumer.kill()  # mid-stream: what it had in hand is lost, unacknowledged
        await eventually(lambda: relayed(400), within=20)
        await consumer.start()
        await eventually(lambda: at_least(500), within=20)
        await asyncio.to_thread(nats_server.restart)  # while events keep being committed
        await load
        await eventually(lambda: at_least(EVENTS), within=40)
        assert await outbox.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
        assert await effects.fetchval("SELECT count(*) FROM chaos_effects") == EVENTS
        duplicates = await effects.fetch("SELECT n, count(*) FROM chaos_log GROUP BY n HAVING count(*) > 1")
        assert duplicates == [], f"events with a second effect: {duplicates[:10]}"
        assert await effects.fetchval("SELECT count(*) FROM chaos_log") == EVENTS
        assert await effects.fetchval("SELECT count(DISTINCT event_id) FROM chaos_log") == EVENTS
    finally:
        load.cancel()
        await effects.close()
        await consumer.stop()
        await producer.stop()
