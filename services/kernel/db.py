"""PostgreSQL through asyncpg: the per-service database (created if missing) and its pool."""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import asyncpg.pool
import msgspec

from .settings import BaseSettings

__all__ = [
    "DB_ERRORS",
    "Connection",
    "create_pool",
    "database_url_for",
    "ensure_database",
    "init_connection",
    "release_after_reads",
]

DB_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # a pooled connection's protocol state after the server went away
)
"""What a background loop (relay, inbox) may meet while the database is down or restarting: it
backs off and retries rather than crash or log a bug."""

if TYPE_CHECKING:
    Connection = asyncpg.Connection[Any] | asyncpg.pool.PoolConnectionProxy[Any]
else:
    Connection = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy
"""A plain connection or one borrowed from a pool: the repositories accept either."""

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
"""Seconds to open one connection. While PostgreSQL is down a refused connection fails at once and
the request answers 503; an unreachable host must not hold a request for asyncpg's default minute.
The pool reconnects by itself: each acquire opens a connection in place of one the server closed."""


def database_url_for(url: str, database: str) -> str:
    """``url`` with its path replaced by ``/database`` (query string such as ``host=`` kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


async def ensure_database(url: str, database: str) -> None:
    """Create ``database`` if it does not exist; safe when two replicas race to create it."""
    conn = await asyncpg.connect(database_url_for(url, "postgres"), timeout=CONNECT_TIMEOUT)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            try:
                await conn.execute(f'CREATE DATABASE "{database}"')
                logger.info("created database %s", database)
            except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                pass
    finally:
        await conn.close()


async def init_connection(conn: asyncpg.Connection[Any]) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name,
            encoder=lambda value: msgspec.json.encode(value).decode(),
            decoder=msgspec.json.decode,
            schema="pg_catalog",
        )


_READS_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("qual_db_reads_only", default=False)


async def release_after_reads(pool: asyncpg.Pool[Any], conn: asyncpg.pool.PoolConnectionProxy[Any]) -> None:
    """Give back a connection that ran reads only (``UnitOfWork.reading``) without the session
    reset: nothing a plain SELECT does outlives it, and the reset is a second round trip (four
    statements) on every small read. asyncpg still rolls back an open transaction itself."""
    marked = _READS_ONLY.set(True)
    try:
        await pool.release(conn)
    finally:
        _READS_ONLY.reset(marked)


async def _reset_connection(conn: asyncpg.Connection[Any]) -> None:
    """The pool's reset (asyncpg's default: advisory locks, cursors, LISTEN, settings), skipped
    for a connection given back by ``release_after_reads``."""
    if not _READS_ONLY.get():
        await conn.execute(conn.get_reset_query())


async def create_pool(settings: BaseSettings) -> asyncpg.Pool[Any]:
    """The service's pool on its own database (``DATABASE_NAME``, default the service name)."""
    database = settings.database_name or f"qual_{settings.service_name}"
    await ensure_database(settings.database_url, database)
    pool = await asyncpg.create_pool(
        database_url_for(settings.database_url, database),
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        init=init_connection,
        reset=_reset_connection,
        timeout=CONNECT_TIMEOUT,
    )
    assert pool is not None
    return pool
