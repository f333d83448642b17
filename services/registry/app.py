"""Composition root of the registry service (a skeleton until its issue lands: health, database, migrations)."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.kernel import BaseSettings, ServiceSpec

__all__ = ["SPEC", "create_app"]

SPEC = ServiceSpec(name="registry", settings_cls=BaseSettings, migrations=Path(__file__).parent / "migrations")


def create_app(settings: BaseSettings | None = None) -> Litestar:
    return SPEC.create_app(settings)
