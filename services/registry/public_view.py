"""PublicView (证书公开查验视图): the public view of every certificate, held in memory by each
registry process and kept current by the database, so 证书查验 answers without a round trip.

Each entry is a number's ``PublicCertificate`` already encoded as JSON (the response body as is).
The view runs on one connection of its own (``application_name`` ``registry-public-view``): it
LISTENs on ``registry_public`` first, then loads every certificate (in pages; the new dict swapped
in at the end) and only then answers. The triggers of ``0004_public_view_notify.sql`` notify a
changed number at each commit, or ``*`` for a statement of more than 200 rows (reload everything).

A notified number is dropped from the view at once, in the listener callback, and waits in
``_pending`` until the one worker task has read it again (``WHERE number = ANY($1)``, in batches);
a number notified again meanwhile keeps waiting for the newer read. While a number waits, or while
the view is not loaded (starting, reloading after ``*``, reconnecting), ``answers(number)`` is
false and the caller reads the database, as without the view. When the connection is lost the view
stops answering, reconnects with a backoff, listens and reloads: an outage is logged as a warning,
never raised into the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from typing import Any

import asyncpg
import msgspec

from services.kernel import Runtime
from services.kernel.db import CONNECT_TIMEOUT, DB_ERRORS, database_url_for, init_connection

from .handlers.reads import public_of
from .repository.register import Register

__all__ = ["APPLICATION_NAME", "CHANNEL", "RELOAD", "PublicView"]

logger = logging.getLogger(__name__)

CHANNEL = "registry_public"
RELOAD = "*"
"""The payload meaning "reload everything" (a statement changed more than 200 certificates)."""
APPLICATION_NAME = "registry-public-view"
"""The listening connection's name in ``pg_stat_activity``."""

_ERRORS: tuple[type[BaseException], ...] = (*DB_ERRORS, TimeoutError)


class PublicView:
    """证书公开查验视图: number -> the JSON of its ``PublicCertificate``; a ``kernel.Component``."""

    def __init__(
        self, *, batch_size: int = 500, page_size: int = 1000, max_backoff: float = 5.0, keepalive: float = 30.0
    ) -> None:
        self._batch_size = batch_size
        self._page_size = page_size
        self._max_backoff = max_backoff
        self._keepalive = keepalive
        self._certificates: dict[str, bytes] = {}
        self._pending: dict[str, int] = {}  # number -> the sequence of its latest notification
        self._sequence = itertools.count(1)
        self._reload = False
        self._loaded = False
        self._wake = asyncio.Event()
        self._url = ""
        self._conn: asyncpg.Connection[Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    @property
    def loaded(self) -> bool:
        """Whether the view holds every certificate now (false: starting, reloading, reconnecting)."""
        return self._loaded

    def get(self, number: str) -> bytes | None:
        """The JSON of ``number``'s ``PublicCertificate``; None if the view does not hold it."""
        return self._certificates.get(number)

    def answers(self, number: str) -> bool:
        """Whether the view's answer for ``number`` is the register's: loaded, no change of it waiting."""
        return self._loaded and number not in self._pending

    async def start(self, runtime: Runtime) -> None:
        """Connect, listen and load in a background task: the app serves (from the database) meanwhile."""
        settings = runtime.settings
        database = settings.database_name or f"qual_{settings.service_name}"
        self._url = database_url_for(settings.database_url, database)
        self._task = asyncio.create_task(self._run(), name="public-view")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._disconnect()

    async def _run(self) -> None:
        backoff = 0.0
        while True:
            try:
                conn = await self._connect()
                await self._reload_all(conn)
                backoff, self._failing = 0.0, False
                await self._follow(conn)
            except _ERRORS as exc:
                self._report(f"database unavailable: {type(exc).__name__}: {exc}")
            # The view is an optimisation: whatever went wrong, reads go to the database meanwhile.
            except Exception as exc:
                self._report(f"{type(exc).__name__}: {exc}", exc_info=True)
            await self._disconnect()
            backoff = min(self._max_backoff, max(0.1, backoff * 2))
            await asyncio.sleep(backoff)

    def _report(self, problem: str, *, exc_info: bool = False) -> None:
        """A warning at the first failure of a run of them (retries while the database is down are quiet)."""
        level = logging.DEBUG if self._failing else logging.WARNING
        logger.log(level, "public view: %s; reads go to the database meanwhile", problem, exc_info=exc_info)
        self._failing = True

    async def _connect(self) -> asyncpg.Connection[Any]:
        conn = await asyncpg.connect(
            self._url, timeout=CONNECT_TIMEOUT, server_settings={"application_name": APPLICATION_NAME}
        )
        self._conn = conn
        await init_connection(conn)
        conn.add_termination_listener(self._lost)
        await conn.add_listener(CHANNEL, self._notified)
        return conn

    async def _disconnect(self) -> None:
        self._forget()
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.remove_termination_listener(self._lost)
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), CONNECT_TIMEOUT)
            except _ERRORS:
                conn.terminate()

    def _forget(self) -> None:
        """Stop answering (reads go to the database) until the next full load."""
        self._loaded = False
        self._certificates = {}
        self._pending.clear()

    def changed(self, number: str) -> None:
        """What a notification says (``number`` changed, or ``*``): the number is dropped at once
        and waits to be read again; ``*`` stops the view answering until everything is reloaded."""
        if number == RELOAD:
            self._reload, self._loaded = True, False
        else:
            self._certificates.pop(number, None)
            self._pending[number] = next(self._sequence)
        self._wake.set()

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        """The listener callback (synchronous, so nothing runs between the notification and the drop)."""
        self.changed(str(payload))

    def _lost(self, _conn: object) -> None:
        logger.warning("public view: its connection was lost; reads go to the database until it is back")
        self._loaded, self._failing = False, True  # the error that follows is the same news
        self._wake.set()

    async def _follow(self, conn: asyncpg.Connection[Any]) -> None:
        """Apply the notifications as they come, until the connection is lost."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._keepalive)
            self._wake.clear()
            if conn.is_closed():
                raise ConnectionError("the public view's connection is closed")
            if self._reload:
                await self._reload_all(conn)
            elif self._pending:
                await self._refresh(conn)
            else:
                await conn.fetchval("SELECT 1")  # an idle connection that died silently is found

    async def _reload_all(self, conn: asyncpg.Connection[Any]) -> None:
        """Load every certificate into a new dict and swap it in. What was notified before the load
        is in it; a number notified during the load is left out of it and read again afterwards."""
        self._reload, self._loaded = False, False
        self._pending.clear()
        fresh: dict[str, bytes] = {}
        async for rows in Register(conn).public_all(batch=self._page_size):
            fresh.update(_encoded(rows))
        for number in self._pending:
            fresh.pop(number, None)
        self._certificates = fresh
        self._loaded = not self._reload and not conn.is_closed()
        if self._pending:
            self._wake.set()
        logger.info("public view loaded: %d certificates", len(fresh))

    async def _refresh(self, conn: asyncpg.Connection[Any]) -> None:
        """Read a batch of the waiting numbers again; one notified again meanwhile keeps waiting."""
        batch = dict(itertools.islice(self._pending.items(), self._batch_size))
        rows = await Register(conn).public_many(list(batch))
        current = [number for number, sequence in batch.items() if self._pending.get(number) == sequence]
        found = _encoded(rows)
        for number in current:
            del self._pending[number]
            if number in found:
                self._certificates[number] = found[number]
        if self._pending:
            self._wake.set()


def _encoded(rows: list[Any]) -> dict[str, bytes]:
    return {row["number"]: msgspec.json.encode(public_of(row)) for row in rows}
