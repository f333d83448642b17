"""Event path benchmark: outbox relay → JetStream → inbox consumer committing its effect.

Starts its own durable PostgreSQL (fsync on, ``track_commit_timestamp`` on) and nats-server on
free ports in a temporary directory. The producer is a kernel Runtime in this process (its
outbox relay shares this event loop with the code that commits the events); the consumer is a
kernel Runtime in a second process (``python -m bench.events_bench --consume``), so the two do
not share one core's event loop. Both databases live in the same PostgreSQL cluster, so every
timestamp comes from one clock.

Measured:
  (a) sustained throughput: N events committed in transactions of 100 (200 aggregates) as fast
      as the producer can; events/s = N / (last effect's commit time − first event's commit).
  (b) latency at a steady 200 events/s for ~10 s, one event per transaction: each event carries
      the wall-clock time taken just before its transaction commits; the consumer's effect row
      carries ``pg_xact_commit_timestamp(xmin)``; publish-to-effect = the difference, from SQL.

``python bench/events_bench.py`` prints the rows.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts.base import Event
from deploy.local.components import NatsServer, PostgresServer, free_port
from services.kernel import BaseSettings, Runtime, Subscription, UnitOfWork, load_settings
from services.kernel.db import database_url_for

__all__ = ["run"]

Row = tuple[str, float, str]
ROOT = Path(__file__).resolve().parents[1]
THROUGHPUT_EVENTS = 20_000
THROUGHPUT_RUNS = 3
TX_SIZE = 100
AGGREGATES = 200
STEADY_RATE = 200.0
STEADY_SECONDS = 10.0
_EFFECTS = """
CREATE TABLE IF NOT EXISTS bench_effects (
    run text NOT NULL, n integer NOT NULL, committed_at double precision NOT NULL,
    PRIMARY KEY (run, n)
)"""


class Ticked(Event, frozen=True, tag="evbench.ticked.v1"):
    """Benchmark-only event: ``committed_at`` is the producer's clock just before its commit."""

    run: str
    n: int
    committed_at: float


async def _record(event: Ticked, uow: UnitOfWork) -> None:
    await uow.conn.execute(
        "INSERT INTO bench_effects (run, n, committed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        event.run,
        event.n,
        event.committed_at,
    )


def _settings(service: str, *, database: str, pg_url: str, nats_url: str, **extra: object) -> BaseSettings:
    return load_settings(
        BaseSettings,
        {},
        service_name=service,
        database_url=pg_url,
        database_name=database,
        nats_url=nats_url,
        log_level="WARNING",
        log_json=False,
        **extra,
    )


async def _consume() -> None:
    """The consumer process: one subscription recording effects, until SIGTERM."""
    env = os.environ
    runtime = Runtime(
        settings=_settings(
            "evbenchc", database="evbench_consumer", pg_url=env["DATABASE_URL"], nats_url=env["NATS_URL"]
        ),
        subscriptions=[Subscription(Ticked, _record, name="ticked")],
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await runtime.start()
    assert runtime.pool is not None
    await runtime.pool.execute(_EFFECTS)
    print("ready", flush=True)
    await stop.wait()
    await runtime.stop()


class _Bench:
    def __init__(self, pg: PostgresServer, nats: NatsServer) -> None:
        self.pg = pg
        self.nats = nats
        self.producer = Runtime(
            settings=_settings("evbench", database="evbench_producer", pg_url=pg.url, nats_url=nats.url)
        )
        self.consumer: asyncio.subprocess.Process | None = None
        self.effects: asyncpg.Connection[Any] | None = None

    async def start(self) -> None:
        await self.producer.start()
        self.consumer = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.events_bench",
            "--consume",
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": self.pg.url, "NATS_URL": self.nats.url},
            stdout=asyncio.subprocess.PIPE,
        )
        assert self.consumer.stdout is not None
        line = await asyncio.wait_for(self.consumer.stdout.readline(), 60)
        if line.strip() != b"ready":
            raise RuntimeError("the consumer process did not start")
        self.effects = await asyncpg.connect(database_url_for(self.pg.url, "evbench_consumer"))

    async def stop(self) -> None:
        if self.effects is not None:
            await self.effects.close()
        if self.consumer is not None and self.consumer.returncode is None:
            self.consumer.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.consumer.wait(), 30)
        await self.producer.stop()

    async def _wait_for(self, run: str, count: int, *, within: float) -> None:
        assert self.effects is not None
        deadline = time.monotonic() + within
        while await self.effects.fetchval("SELECT count(*) FROM bench_effects WHERE run = $1", run) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run}: effects incomplete after {within}s")
            await asyncio.sleep(0.05)

    async def throughput(self, events: int) -> float:
        run = uuid.uuid4().hex[:8]
        for first in range(0, events, TX_SIZE):
            async with self.producer.uow() as uow:
                now = time.time()
                for n in range(first, min(events, first + TX_SIZE)):
                    uow.emit(Ticked(aggregate_id=f"agg-{n % AGGREGATES}", run=run, n=n, committed_at=now))
                await uow.commit()
            await asyncio.sleep(0)  # let the relay interleave, as a real service's requests would
        await self._wait_for(run, events, within=300)
        assert self.effects is not None
        span = await self.effects.fetchval(
            "SELECT extract(epoch FROM max(pg_xact_commit_timestamp(xmin))) - min(committed_at)"
            " FROM bench_effects WHERE run = $1",
            run,
        )
        return events / float(span)

    async def latency(self, rate: float, seconds: float) -> tuple[float, float, float]:
        run = uuid.uuid4().hex[:8]
        count = int(rate * seconds)
        start = time.monotonic()
        for n in range(count):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            async with self.producer.uow() as uow:
                uow.emit(Ticked(aggregate_id=f"agg-{n % 50}", run=run, n=n, committed_at=time.time()))
                await uow.commit()
        achieved = count / (time.monotonic() - start)
        await self._wait_for(run, count, within=60)
        assert self.effects is not None
        p50, p99 = await self.effects.fetchrow(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)"
            " FROM (SELECT (extract(epoch FROM pg_xact_commit_timestamp(xmin)) - committed_at) * 1000 AS ms"
            " FROM bench_effects WHERE run = $1) AS d",
            run,
        )
        return float(p50), float(p99), achieved


async def _enable_commit_timestamps(pg: PostgresServer) -> None:
    conn = await asyncpg.connect(pg.url)
    try:
        await conn.execute("ALTER SYSTEM SET track_commit_timestamp = on")
    finally:
        await conn.close()
    pg.stop()
    pg.start()


async def _measure(tmp: Path) -> list[Row]:
    pg = PostgresServer(tmp / "pg", free_port(), durable=True).start()
    nats = NatsServer(tmp / "nats").start()
    bench = _Bench(pg, nats)
    try:
        await _enable_commit_timestamps(pg)
        await bench.start()
        await bench.throughput(2_000)  # warm-up: connections, streams, JIT of the hot paths
        rates = [await bench.throughput(THROUGHPUT_EVENTS) for _ in range(THROUGHPUT_RUNS)]
        p50, p99, achieved = await bench.latency(STEADY_RATE, STEADY_SECONDS)
    finally:
        await bench.stop()
        nats.stop()
        pg.stop()
    spread = ", ".join(f"{rate:,.0f}" for rate in rates)
    steady = f"at a steady {achieved:,.0f} events/s for {STEADY_SECONDS:.0f} s"
    return [
        (
            f"events end to end, {THROUGHPUT_EVENTS:,} events",
            statistics.median(rates),
            f"events/s (median of {THROUGHPUT_RUNS}: {spread})",
        ),
        ("event publish-to-effect p50", p50, f"ms {steady}"),
        ("event publish-to-effect p99", p99, f"ms {steady}"),
    ]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_measure(Path(tmp)))


if __name__ == "__main__":
    if "--consume" in sys.argv:
        asyncio.run(_consume())
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=1))
