"""Composition root of the gateway: the portal, the ``/api`` proxy, sessions, CSRF and rate limits,
on the kernel's ``build_app`` (no internal-token check: the gateway is where identities start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from services.kernel import Runtime, build_app

from .csrf import CsrfGuard
from .portal import current_session
from .portal.admin_calendar_pages import AdminCalendarPagesController
from .portal.admin_pages import AdminPagesController
from .portal.auth_pages import AuthPagesController
from .portal.clients import IdentityClient
from .portal.fill_pages import FillPagesController
from .portal.materials_pages import MaterialsPagesController
from .portal.outage import outage_handlers
from .portal.registry_pages import RegistryPagesController
from .portal.review_pages import ReviewPagesController
from .portal.roster_pages import RosterPagesController
from .portal.work_pages import WorkPagesController
from .proxy import proxy
from .ratelimit import LoginLimiter, PublicLimiter
from .readiness import readyz
from .sessions import SessionStore
from .settings import GatewaySettings, load_gateway_settings
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
    sessions = SessionStore(settings)
    runtime = Runtime(
        settings=settings,
        migrations_dir=HERE / "migrations",
        publishes=False,
        subscriptions=sessions.subscriptions(),
    )
    client = runtime.service_client()
    upstreams = Upstreams(settings)
    parts: dict[str, Any] = {
        "upstreams": upstreams,
        "sessions": sessions,
        "tokens": client.minter,
        "csrf": CsrfGuard.from_settings(settings),
        "limiter": LoginLimiter(settings),
        "public_limiter": PublicLimiter(settings),
        "identity": IdentityClient(client),
    }

    async def start(app: Litestar) -> None:
        sessions.bind(runtime.pool)
        await upstreams.start()

    async def stop(_: Litestar) -> None:
        await upstreams.close()

    app = build_app(
        runtime,
        route_handlers=[
            create_static_files_router(path="/static", directories=[PORTAL / "static"]),
            Router(
                path="/",
                route_handlers=[
                    AuthPagesController,
                    WorkPagesController,
                    FillPagesController,
                    ReviewPagesController,
                    MaterialsPagesController,
                    RosterPagesController,
                    RegistryPagesController,
                    AdminPagesController,
                    AdminCalendarPagesController,
                ],
                exception_handlers=outage_handlers(),
            ),
            proxy,
        ],
        on_startup=[start],
        on_shutdown=[stop],
        readiness=readyz,
        dependencies={"session": Provide(current_session), **{name: _from_state(name) for name in parts}},
        template_config=TemplateConfig(directory=PORTAL / "templates", engine=JinjaTemplateEngine),
    )
    for name, part in parts.items():
        app.state[name] = part
    return app
