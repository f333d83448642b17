"""``GET /readyz``: the gateway's own database plus every upstream's ``/readyz``, asked concurrently.

``{"status": "ready"|"degraded", "services": {"identity": "ready", "applications": "down", …},
"checks": {"database": "ready"}}``; 200 when everything is ready, else 503. An upstream is
``ready`` (200), ``degraded`` (answered otherwise) or ``down`` (no answer within
``READINESS_TIMEOUT``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import msgspec
from litestar import Response, get
from litestar.datastructures import State

from services.kernel import Runtime
from services.kernel.migrations import pending_migrations
from services.kernel.registry import SERVICE_NAMES

from .upstreams import Upstreams

__all__ = ["GatewayReadiness", "readyz"]


class GatewayReadiness(msgspec.Struct, kw_only=True):
    status: str
    services: dict[str, str]
    checks: dict[str, str]


async def database_status(runtime: Runtime, within: float) -> str:
    if runtime.pool is None:
        return "down"
    try:
        async with asyncio.timeout(within), runtime.pool.acquire() as conn:
            pending = await pending_migrations(conn, runtime.migration_dirs())
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return "down"
    return "migrations_pending" if pending else "ready"


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> Response[Any]:
    upstreams: Upstreams = state.upstreams
    runtime: Runtime = state.runtime
    database, *probes = await asyncio.gather(
        database_status(runtime, upstreams.settings.readiness_timeout),
        *(upstreams.probe(name) for name in SERVICE_NAMES),
    )
    services = dict(zip(SERVICE_NAMES, probes, strict=True))
    ready = database == "ready" and all(value == "ready" for value in probes)
    body = GatewayReadiness(status="ready" if ready else "degraded", services=services, checks={"database": database})
    return Response(body, status_code=200 if ready else 503)
