"""Identity's composition root: accounts, units, registration, login, authority accounts and the
consumer of approvals, on the kernel."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from litestar import Litestar

from services.kernel import ServiceSpec

from . import api, consumers, model
from .settings import IdentitySettings

__all__ = ["SPEC", "create_app"]


def _provides(settings: IdentitySettings) -> Mapping[str, object]:
    return {"lockout": model.Lockout(max_failures=settings.login_max_failures, minutes=settings.login_lock_minutes)}


SPEC = ServiceSpec(
    name="identity",
    settings_cls=IdentitySettings,
    routes=api.ROUTES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=consumers.SUBSCRIPTIONS,
    provides=_provides,
)


def create_app(settings: IdentitySettings | None = None) -> Litestar:
    """The identity app; without ``settings`` it loads them from the environment."""
    return SPEC.create_app(settings)
