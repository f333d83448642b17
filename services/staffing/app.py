"""Composition root of the staffing service."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.kernel import BaseSettings, create_service_app
from services.kernel.service import ServiceSpec

SPEC = ServiceSpec(
    name="staffing", settings_cls=BaseSettings, default_port=8104, factory="services.staffing.app:create_app"
)


def create_app(settings: BaseSettings | None = None) -> Litestar:
    return create_service_app(
        settings=settings or SPEC.settings(),
        route_handlers=[],
        migrations_dir=Path(__file__).parent / "migrations",
    )
