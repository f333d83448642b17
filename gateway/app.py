"""Composition root of the gateway: the kernel app factory, the portal, the proxy and their parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from services.kernel import TokenSigner, create_service_app

from .csrf import CsrfGuard
from .portal import current_session
from .portal.auth_pages import AuthPagesController
from .portal.clients import IdentityClient
from .portal.work_pages import WorkPagesController
from .proxy import proxy
from .ratelimit import LoginLimiter
from .readiness import readyz
from .sessions import SessionStore
from .settings import GatewaySettings, load_gateway_settings
from .tokens import TokenMinter
from .upstreams import Upstreams

__all__ = ["create_app"]

HERE = Path(__file__).parent
PORTAL = HERE / "portal"


def _from_state(name: str) -> Provide:
    def provide(state: State) -> Any:
        return state[name]

    return Provide(provide, sync_to_thread=False)


def create_app(settings: GatewaySettings | None = None) -> Litestar:
    """The gateway app; its parts live on ``app.state`` and open/close in the lifespan."""
    settings = settings or load_gateway_settings()
    upstreams = Upstreams(settings)
    sessions = SessionStore(settings)
    tokens = TokenMinter(
        TokenSigner.from_settings(settings, ttl_seconds=settings.token_ttl_seconds),
        reuse_seconds=settings.token_reuse_seconds,
    )
    parts: dict[str, Any] = {
        "upstreams": upstreams,
        "sessions": sessions,
        "tokens": tokens,
        "csrf": CsrfGuard.from_settings(settings),
        "limiter": LoginLimiter(settings),
        "identity": IdentityClient(upstreams, tokens),
    }

    async def start(app: Litestar) -> None:
        sessions.bind(app.state.runtime.pool)
        await upstreams.start()

    async def stop(_: Litestar) -> None:
        await upstreams.close()

    app = create_service_app(
        settings=settings,
        route_handlers=[AuthPagesController, WorkPagesController, proxy],
        migrations_dir=HERE / "migrations",
        on_startup=[start],
        on_shutdown=[stop],
        requires_auth=False,
        needs_database=True,
        needs_nats=False,
        readiness=readyz,
        dependencies={"session": Provide(current_session), **{name: _from_state(name) for name in parts}},
        template_config=TemplateConfig(directory=PORTAL / "templates", engine=JinjaTemplateEngine),
        static_files=[create_static_files_router(path="/static", directories=[PORTAL / "static"])],
        title="qual-gateway",
    )
    for name, part in parts.items():
        app.state[name] = part
    return app
