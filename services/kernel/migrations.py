"""Versioned SQL migrations, applied in order at start under an advisory lock."""

from __future__ import annotations

import logging
from pathlib import Path

from .db import Connection

__all__ = ["KERNEL_MIGRATIONS", "apply_migrations", "pending_migrations"]

logger = logging.getLogger(__name__)
KERNEL_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x5155414C  # "QUAL": one lock per database, so two replicas never migrate at once

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def _files(directories: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for prefix, directory in directories:
        found.extend((f"{prefix}/{path.name}", path) for path in sorted(directory.glob("*.sql")))
    return found


async def apply_migrations(conn: Connection, directories: list[tuple[str, Path]]) -> list[str]:
    """Apply every file not yet recorded, each in its own transaction; return what was applied."""
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(_CREATE_TABLE)
        done = {row["version"] for row in await conn.fetch("SELECT version FROM schema_migrations")}
        for version, path in _files(directories):
            if version in done:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text(encoding="utf-8"))
                await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)
            logger.info("applied migration %s", version)
            applied_now.append(version)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied_now


async def pending_migrations(conn: Connection, directories: list[tuple[str, Path]]) -> list[str]:
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    done = set()
    if exists:
        done = {row["version"] for row in await conn.fetch("SELECT version FROM schema_migrations")}
    return [version for version, _ in _files(directories) if version not in done]
