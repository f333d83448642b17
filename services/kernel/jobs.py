"""Periodic jobs: each runs every ``every_seconds`` in one replica of the service at a time.

A ``Job(name, every_seconds, run)`` is declared by a service (``ServiceSpec.jobs``) and run by the
``JobRunner`` the Runtime starts and stops. Replicas elect the runner of each job with a
PostgreSQL session advisory lock on the service's database, keyed by the job's name: the replica
that holds it runs the job at every tick and keeps the lock on one connection of its pool; the
others try again at each tick. When the holder stops or its connection dies, the lock is
released and another replica takes the job over at its next tick.

``run`` receives a fresh UnitOfWork; it should be idempotent (a job cut short by a crash or a
lost connection runs again, possibly in another replica). A run that raises is logged with its
traceback and the job runs again at its next tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import asyncpg.pool

from .db import DB_ERRORS
from .errors import is_outage
from .uow import UnitOfWork

_LOCK_ERRORS: tuple[type[BaseException], ...] = (*DB_ERRORS, TimeoutError)
"""The lock connection is gone (the database restarts): release it and try again next tick."""

__all__ = ["Job", "JobRunner"]

logger = logging.getLogger(__name__)

_LOCK_CLASS = 0x4A42  # "JB": advisory-lock class of the job locks (the outbox's is "OB")
_TRY_LOCK = "SELECT pg_try_advisory_lock($1::int, hashtext($2))"


@dataclass(frozen=True)
class Job:
    """``run(uow)`` every ``every_seconds``, in one replica at a time; ``name`` is unique per service."""

    name: str
    every_seconds: float
    run: Callable[[UnitOfWork], Awaitable[object]]


class JobRunner:
    """Runs a service's jobs on its pool: started and stopped by the Runtime."""

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        jobs: Sequence[Job],
        *,
        uow: Callable[[], UnitOfWork],
        service: str = "",
        grace_seconds: float = 10.0,
    ) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self._pool = pool
        self._jobs = list(jobs)
        self._uow = uow
        self._service = service
        self._grace = grace_seconds
        self._conn: asyncpg.pool.PoolConnectionProxy[Any] | None = None
        self._held: set[str] = set()
        self._conn_lock = asyncio.Lock()
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def leading(self) -> frozenset[str]:
        """The jobs this replica holds the lock of now."""
        return frozenset(self._held)

    def start(self) -> None:
        self._stopping.clear()
        self._tasks = [asyncio.create_task(self._loop(job), name=f"job:{job.name}") for job in self._jobs]

    async def stop(self) -> None:
        """Let a running job finish (within a grace period, then cancel it) and release the locks."""
        self._stopping.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=self._grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        async with self._conn_lock:
            await self._release()

    async def _loop(self, job: Job) -> None:
        while not self._stopping.is_set():
            if await self._lead(job):
                await self._run(job)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=job.every_seconds)

    async def _lead(self, job: Job) -> bool:
        """Whether this replica runs ``job`` now: it holds the lock (still connected) or takes it."""
        async with self._conn_lock:
            if self._stopping.is_set():
                return False
            try:
                if self._conn is None:
                    self._conn = await self._pool.acquire()
                if job.name in self._held:
                    await self._conn.fetchval("SELECT 1")  # the session lives: the lock is still ours
                    return True
                if await self._conn.fetchval(_TRY_LOCK, _LOCK_CLASS, f"{self._service}:{job.name}"):
                    self._held.add(job.name)
                    logger.info("this replica runs the job %s", job.name)
                    return True
                return False
            except _LOCK_ERRORS as exc:
                logger.warning("job lock connection lost (%s: %s); trying again", type(exc).__name__, exc)
                await self._release(broken=True)
                return False

    async def _run(self, job: Job) -> None:
        try:
            await job.run(self._uow())
        except asyncio.CancelledError:
            raise
        # A job is the service's own code: whatever it raised is logged and the job runs again at
        # its next tick, as a request's failure leaves the service serving the next one.
        except Exception as exc:
            if is_outage(exc):
                logger.warning("job %s: dependency unavailable: %s: %s", job.name, type(exc).__name__, exc)
            else:
                logger.exception("job %s failed", job.name)

    async def _release(self, *, broken: bool = False) -> None:
        """Give the lock connection back (its session's locks end with it: unlocked, or the reset
        on release unlocks them; a broken one is closed)."""
        conn, self._conn = self._conn, None
        self._held.clear()
        if conn is None:
            return
        try:
            if not broken:
                await conn.execute("SELECT pg_advisory_unlock_all()")
            await self._pool.release(conn)
        except _LOCK_ERRORS:
            conn.terminate()
