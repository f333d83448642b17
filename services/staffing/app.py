"""Staffing's composition root: its keys, routes, consumers and migrations on the kernel."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import msgspec
from litestar import Litestar

from services.kernel import BaseSettings, ServiceSpec

from . import api, consumers
from .settings import StaffingSettings

__all__ = ["SPEC", "create_app"]


def _provides(settings: StaffingSettings) -> Mapping[str, object]:
    from .handlers.vocabulary import Vocabulary  # one vocabulary cache per app

    vocabulary = Vocabulary(ttl=settings.staffing_standards_cache_seconds)
    return {"protector": settings.protector(), "settings": settings, "vocabulary": vocabulary}


SPEC = ServiceSpec(
    name="staffing",
    settings_cls=StaffingSettings,
    routes=api.ROUTES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=consumers.SUBSCRIPTIONS,
    provides=_provides,
)


def create_app(settings: BaseSettings | None = None) -> Litestar:
    """The staffing app; without ``settings`` it loads them from the environment (kernel-only
    settings are completed with staffing's defaults, which have no keys: tests pass their own)."""
    if settings is not None and not isinstance(settings, StaffingSettings):
        settings = msgspec.convert(msgspec.structs.asdict(settings), StaffingSettings)
    return SPEC.create_app(settings)
