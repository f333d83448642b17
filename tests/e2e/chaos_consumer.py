"""The consumer process of the events chaos test: a kernel Runtime with one subscription whose
handler records each event's ``n`` in ``chaos_effects`` (primary key) and, without any unique
constraint, in ``chaos_log`` — so a second effect of one event shows as more log rows than events.

Run from the repository root until SIGTERM (prints ``ready`` once consuming)::

    DATABASE_URL=… DATABASE_NAME=… NATS_URL=… SERVICE_NAME=chaosc python -m tests.e2e.chaos_consumer
"""

from __future__ import annotations

import asyncio
import signal

import asyncpg

from contracts.base import Event
from services.kernel import BaseSettings, Runtime, Subscription, UnitOfWork, load_settings
from services.kernel.db import database_url_for, ensure_database

__all__ = ["ChaosPinged", "main"]

_TABLES = """
CREATE TABLE IF NOT EXISTS chaos_effects (n integer PRIMARY KEY);
CREATE TABLE IF NOT EXISTS chaos_log (n integer NOT NULL, event_id uuid NOT NULL);
"""


class ChaosPinged(Event, frozen=True, tag="chaos.pinged.v1"):
    """Chaos-test-only event: the ``n``-th of the run."""

    n: int


async def record(event: ChaosPinged, uow: UnitOfWork) -> None:
    await uow.conn.execute("INSERT INTO chaos_effects (n) VALUES ($1) ON CONFLICT DO NOTHING", event.n)
    await uow.conn.execute("INSERT INTO chaos_log (n, event_id) VALUES ($1, $2)", event.n, event.event_id)


async def _create_tables(settings: BaseSettings) -> None:
    await ensure_database(settings.database_url, settings.database_name)
    conn = await asyncpg.connect(database_url_for(settings.database_url, settings.database_name))
    try:
        await conn.execute(_TABLES)
    finally:
        await conn.close()


async def main() -> None:
    settings = load_settings(BaseSettings)
    await _create_tables(settings)
    # A short ack_wait: what the killed process had in hand comes back within seconds.
    subscription = Subscription(ChaosPinged, record, name="pinged", ack_wait=2.0, batch=64)
    runtime = Runtime(settings=settings, subscriptions=[subscription])
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await runtime.start()
    print("ready", flush=True)
    await stop.wait()
    await runtime.stop()


if __name__ == "__main__":
    asyncio.run(main())
