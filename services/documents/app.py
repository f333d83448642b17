"""Composition root of the documents service."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.kernel import BaseSettings, create_service_app
from services.kernel.service import ServiceSpec

SPEC = ServiceSpec(
    name="documents",
    settings_cls=BaseSettings,
    default_port=8106,
    factory="services.documents.app:create_app",
)


def create_app(settings: BaseSettings | None = None) -> Litestar:
    return create_service_app(
        settings=settings or SPEC.settings(),
        route_handlers=[],
        migrations_dir=Path(__file__).parent / "migrations",
    )
