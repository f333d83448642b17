"""/healthz (alive) and /readyz (database and NATS reachable, migrations applied)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response, get
from litestar.datastructures import State

from .migrations import pending_migrations
from .runtime import Runtime

__all__ = ["healthz", "readyz"]


class Health(msgspec.Struct, kw_only=True):
    status: str
    service: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)


@get("/healthz", include_in_schema=False, sync_to_thread=False)
def healthz(state: State) -> Health:
    runtime: Runtime = state.runtime
    return Health(status="alive", service=runtime.name)


async def _database_check(runtime: Runtime) -> str:
    if runtime.pool is None:
        return "down"
    try:
        async with runtime.pool.acquire(timeout=2) as conn:
            pending = await pending_migrations(conn, runtime.migration_dirs())
    except Exception:  # any failure to reach the database means not ready
        return "down"
    return "ready" if not pending else "migrations_pending"


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> Response[Any]:
    runtime: Runtime = state.runtime
    checks: dict[str, str] = {}
    if runtime.needs_database:
        checks["database"] = await _database_check(runtime)
    if runtime.needs_nats:
        checks["nats"] = "ready" if runtime.link is not None and runtime.link.is_connected else "down"
    ready = all(value == "ready" for value in checks.values())
    body = Health(status="ready" if ready else "degraded", service=runtime.name, checks=checks)
    return Response(body, status_code=200 if ready else 503)
