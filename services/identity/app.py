"""create_app: identity's composition root on the kernel app factory."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.di import Provide

from services.kernel import create_service_app
from services.kernel.service import ServiceSpec

from . import api, model
from .settings import IdentitySettings

__all__ = ["SPEC", "create_app"]

SPEC = ServiceSpec(
    name="identity",
    settings_cls=IdentitySettings,
    default_port=8101,
    factory="services.identity.app:create_app",
)


def create_app(settings: IdentitySettings | None = None) -> Litestar:
    """The identity app; without ``settings`` it loads them from the environment."""
    settings = settings or SPEC.settings()
    lockout = model.Lockout(max_failures=settings.login_max_failures, minutes=settings.login_lock_minutes)

    def provide_lockout() -> model.Lockout:
        return lockout

    return create_service_app(
        settings=settings,
        route_handlers=api.ROUTES,
        migrations_dir=Path(__file__).parent / "migrations",
        dependencies={"lockout": Provide(provide_lockout, sync_to_thread=False)},
    )
