"""The standards service's composition root (no database, no NATS: the standard is data)."""

from __future__ import annotations

from collections.abc import Mapping

from litestar import Litestar

from services.kernel import ServiceSpec
from services.standards import api
from services.standards.catalog import Catalog
from services.standards.settings import StandardsSettings, data_dir

__all__ = ["SPEC", "create_app"]


def _provides(settings: StandardsSettings) -> Mapping[str, object]:
    """Load and validate the standard's data (a defect stops start-up naming file and field)."""
    return {"catalog": Catalog.from_dir(data_dir(settings))}


SPEC = ServiceSpec(
    name="standards",
    settings_cls=StandardsSettings,
    routes=api.ROUTES,
    provides=_provides,
    database=False,
    nats=False,
)


def create_app(settings: StandardsSettings | None = None) -> Litestar:
    return SPEC.create_app(settings)
