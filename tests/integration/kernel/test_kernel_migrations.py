"""Migrations: applied once, in order, even when two replicas start at the same time."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from services.kernel.db import database_url_for, ensure_database
from services.kernel.migrations import KERNEL_MIGRATIONS, apply_migrations, pending_migrations
from tests.fixtures.infra import random_ref


async def test_two_replicas_migrate_concurrently_and_each_file_applies_once(pg_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    (tmp_path / "0002_more.sql").write_text("ALTER TABLE things ADD COLUMN name text;")
    dirs = [("kernel", KERNEL_MIGRATIONS), ("svc", tmp_path)]
    name = random_ref("mig")
    await asyncio.gather(*(ensure_database(pg_server.url, name) for _ in range(3)))
    url = database_url_for(pg_server.url, name)
    conns = [await asyncpg.connect(url) for _ in range(2)]
    try:
        results = await asyncio.gather(*(apply_migrations(conn, dirs) for conn in conns))
        applied = sorted(v for result in results for v in result)
        assert applied == ["kernel/0001_outbox_inbox.sql", "svc/0001_things.sql", "svc/0002_more.sql"]
        assert await pending_migrations(conns[0], dirs) == []
        columns = await conns[0].fetch("SELECT column_name FROM information_schema.columns WHERE table_name='things'")
        assert {row["column_name"] for row in columns} == {"id", "name"}
    finally:
        for conn in conns:
            await conn.close()


async def test_a_failing_migration_leaves_nothing_half_applied(pg_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "0001_bad.sql").write_text("CREATE TABLE half (id int); SELECT no_such_function();")
    name = random_ref("mig")
    await ensure_database(pg_server.url, name)
    conn = await asyncpg.connect(database_url_for(pg_server.url, name))
    try:
        try:
            await apply_migrations(conn, [("svc", tmp_path)])
        except asyncpg.UndefinedFunctionError:
            pass
        else:
            raise AssertionError("the bad migration should fail")
        assert await conn.fetchval("SELECT to_regclass('half')") is None
        assert await pending_migrations(conn, [("svc", tmp_path)]) == ["svc/0001_bad.sql"]
    finally:
        await conn.close()
