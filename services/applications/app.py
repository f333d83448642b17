"""Composition root of the applications service: its settings, routes, consumers, jobs and migrations.

The page catalog (data/) is read and checked when the app is built: invalid page data stops the
service at start with a message naming the problem. The workflow adds its jobs and
subscriptions here (one line each).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import msgspec
from litestar import Litestar

from services.kernel import BaseSettings, ServiceSpec

from . import api, consumers
from .data import catalog
from .data.workflow import workflow
from .handlers import deadlines_job
from .settings import ApplicationsSettings

__all__ = ["SPEC", "create_app"]


def _provides(settings: ApplicationsSettings) -> Mapping[str, object]:
    from .handlers.standard import StandardLevels  # one cache per app

    return {
        "settings": settings,
        "catalog": catalog(),
        "standard": StandardLevels(ttl=settings.applications_standards_cache_seconds),
        "workflow": workflow(),
    }


SPEC = ServiceSpec(
    name="applications",
    settings_cls=ApplicationsSettings,
    routes=api.ROUTES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=consumers.SUBSCRIPTIONS,
    provides=_provides,
    jobs=lambda _settings, provided: deadlines_job.jobs(provided),
)


def create_app(settings: BaseSettings | None = None) -> Litestar:
    """The applications app; kernel-only settings are completed with the service's defaults."""
    catalog()  # refuse to start on invalid page data
    if settings is not None and not isinstance(settings, ApplicationsSettings):
        settings = msgspec.convert(msgspec.structs.asdict(settings), ApplicationsSettings)
    return SPEC.create_app(settings)
