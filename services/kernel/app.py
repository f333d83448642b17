"""The app factories: ``create_service_app(spec, settings)`` for a service, and ``build_app`` —
the Litestar every process runs (the gateway composes its own on it)."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from contracts.auth import Caller

from . import openapi, telemetry
from .auth import TOKEN_HEADER, TokenVerifier, caller_of
from .dependencies import resolve_in_turn
from .errors import exception_handlers
from .health import healthz, readyz
from .http import ServiceClient
from .idempotency import idempotency_middleware
from .middleware import auth_middleware, tracing_middleware
from .options import options_middleware
from .runtime import Runtime
from .settings import BaseSettings
from .uow import UnitOfWork

if TYPE_CHECKING:
    from .service import ServiceSpec

__all__ = ["build_app", "create_service_app", "provide_value"]

Hook = Callable[[Litestar], Awaitable[None]]


def _provide_caller(request: Request[Any, Any, Any]) -> Caller:
    return caller_of(request)


def _provide_caller_token(request: Request[Any, Any, Any]) -> str:
    """The caller's internal token as received, to forward on a call made for the caller (the
    called service then decides by the caller's own rights, not this service's)."""
    return request.headers.get(TOKEN_HEADER, "")


def _provide_uow(state: State) -> UnitOfWork:
    runtime: Runtime = state.runtime
    return runtime.uow()


def _provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def _provide_services(state: State) -> ServiceClient:
    runtime: Runtime = state.runtime
    return runtime.service_client()


def provide_value(value: object) -> Provide:
    """A dependency that hands every handler the same ``value`` (built once by the composition root)."""

    def provide() -> object:
        return value

    return Provide(provide, sync_to_thread=False)


def create_service_app(spec: ServiceSpec[Any], settings: BaseSettings) -> Litestar:
    """A service: its routes behind the internal token (audience: this service) and idempotent writes."""
    provided = spec.provides(settings) if spec.provides is not None else {}
    runtime = Runtime(
        settings=settings,
        migrations_dir=spec.migrations,
        needs_database=spec.database,
        needs_nats=spec.nats,
        subscriptions=list(spec.subscriptions),
        jobs=list(spec.jobs(settings, provided)) if spec.jobs is not None else [],
        components=list(spec.components(settings, provided)) if spec.components is not None else [],
    )
    runtime.verifier = TokenVerifier.from_settings(settings)
    app = build_app(
        runtime,
        route_handlers=spec.routes,
        middleware=[auth_middleware(runtime.verifier), idempotency_middleware(lambda: runtime.pool)],
        dependencies={name: provide_value(value) for name, value in provided.items()},
    )
    openapi.make_truthful(app, idempotent=spec.database)
    return app


def build_app(
    runtime: Runtime,
    *,
    route_handlers: Sequence[Any],
    middleware: Sequence[Any] = (),
    dependencies: Mapping[str, Provide] | None = None,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    readiness: Any = readyz,
    **litestar_options: Any,
) -> Litestar:
    """The Litestar of one process: OpenAPI at /schema, /healthz, /readyz, the error body, tracing,
    OPTIONS answering all of a path's methods (``options.py``), dependencies resolved in turn
    (``dependencies.py``), and the runtime (pool, migrations,
    NATS, relay, consumers, service client) in the lifespan, so nothing connects at import time and
    tests call it with their own settings."""
    settings = runtime.settings
    resolve_in_turn()
    telemetry.setup_logging(settings.service_name, level=settings.log_level, json_lines=settings.log_json)
    telemetry.setup_telemetry(settings.service_name)

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
        route_handlers=[healthz, readiness, *route_handlers],
        state=State({"runtime": runtime, "settings": settings}),
        dependencies={
            "caller": Provide(_provide_caller, sync_to_thread=False),
            "caller_token": Provide(_provide_caller_token, sync_to_thread=False),
            "uow": Provide(_provide_uow, sync_to_thread=False),
            "runtime": Provide(_provide_runtime, sync_to_thread=False),
            "services": Provide(_provide_services, sync_to_thread=False),
            **(dependencies or {}),
        },
        middleware=[tracing_middleware, options_middleware, *middleware],
        exception_handlers=exception_handlers(),
        on_startup=[start],
        on_shutdown=[stop],
        openapi_config=OpenAPIConfig(
            title=f"qual-{settings.service_name}",
            version="1.0.0",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        logging_config=None,
        debug=False,
        **litestar_options,
    )
