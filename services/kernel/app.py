"""create_service_app: the one Litestar app factory every service (and the gateway) uses."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from contracts.auth import Caller

from . import telemetry
from .auth import TokenVerifier, caller_of
from .errors import exception_handlers
from .health import healthz, readyz
from .idempotency import idempotency_middleware
from .inbox import Subscription
from .middleware import auth_middleware, tracing_middleware
from .runtime import Runtime
from .settings import BaseSettings
from .uow import UnitOfWork

__all__ = ["create_service_app"]

Hook = Callable[[Litestar], Awaitable[None]]


def _provide_caller(request: Request[Any, Any, Any]) -> Caller:
    return caller_of(request)


def _provide_uow(state: State) -> UnitOfWork:
    runtime: Runtime = state.runtime
    return runtime.uow()


def _provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def create_service_app(
    *,
    settings: BaseSettings,
    route_handlers: Sequence[Any],
    migrations_dir: Path | None = None,
    subscriptions: Sequence[Subscription] = (),
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    requires_auth: bool = True,
    needs_database: bool = True,
    needs_nats: bool = True,
    dependencies: dict[str, Provide] | None = None,
    middleware: Sequence[Any] = (),
    title: str | None = None,
    readiness: Any = readyz,
    template_config: Any = None,
    static_files: Sequence[Any] = (),
) -> Litestar:
    """A Litestar app with OpenAPI at /schema, /healthz, /readyz, the error body, auth and tracing.

    The runtime (pool, migrations, NATS, outbox relay, inbox consumers) starts in the lifespan,
    so nothing connects at import time and tests call this with their own settings.
    """
    telemetry.setup_logging(settings.service_name, level=settings.log_level, json_lines=settings.log_json)
    telemetry.setup_telemetry(settings.service_name)
    runtime = Runtime(
        settings=settings,
        migrations_dir=migrations_dir,
        needs_database=needs_database,
        needs_nats=needs_nats,
        subscriptions=list(subscriptions),
    )
    stack: list[Any] = [tracing_middleware]
    if requires_auth:
        runtime.verifier = TokenVerifier.from_settings(settings)
        stack.append(auth_middleware(runtime.verifier))
        stack.append(idempotency_middleware(lambda: runtime.pool))
    stack.extend(middleware)

    async def start(app: Litestar) -> None:
        await runtime.start()
        for hook in on_startup:
            await hook(app)
        # What is alive now (modules, settings, loaded data) lives as long as the process: keep the
        # collector from scanning it again on every full collection.
        gc.freeze()

    async def stop(app: Litestar) -> None:
        for hook in on_shutdown:
            await hook(app)
        await runtime.stop()

    return Litestar(
        route_handlers=[healthz, readiness, *static_files, *route_handlers],
        template_config=template_config,
        state=State({"runtime": runtime, "settings": settings}),
        dependencies={
            "caller": Provide(_provide_caller, sync_to_thread=False),
            "uow": Provide(_provide_uow, sync_to_thread=False),
            "runtime": Provide(_provide_runtime, sync_to_thread=False),
            **(dependencies or {}),
        },
        middleware=stack,
        exception_handlers=exception_handlers(),
        on_startup=[start],
        on_shutdown=[stop],
        openapi_config=OpenAPIConfig(
            title=title or f"qual-{settings.service_name}",
            version="1.0.0",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        logging_config=None,
        debug=False,
    )
