"""create_app: the standards service's composition root (no database, no NATS)."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from services.kernel import create_service_app, load_settings
from services.standards import api
from services.standards.catalog import Catalog
from services.standards.settings import StandardsSettings, data_dir

__all__ = ["create_app"]


def create_app(settings: StandardsSettings | None = None) -> Litestar:
    """Load and validate the standard's data (a defect stops start-up naming file and field)."""
    settings = settings or load_settings(StandardsSettings)
    catalog = Catalog.from_dir(data_dir(settings))

    def provide_catalog() -> Catalog:
        return catalog

    return create_service_app(
        settings=settings,
        route_handlers=api.ROUTES,
        requires_auth=True,
        needs_database=False,
        needs_nats=False,
        dependencies={"catalog": Provide(provide_catalog, sync_to_thread=False)},
    )
