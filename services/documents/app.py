"""Documents' composition root: the store, the checks, the routes and the sweepers on the kernel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial
from pathlib import Path

import msgspec
from litestar import Litestar

from services.kernel import BaseSettings, ServiceSpec
from services.kernel.jobs import Job

from . import api, handlers, model, storage
from .decoding import Decoding
from .settings import DocumentsSettings

__all__ = ["SPEC", "create_app"]


def _provides(settings: DocumentsSettings) -> Mapping[str, object]:
    return {
        "store": storage.store_for(settings),
        "decoding": Decoding(max_pixels=settings.documents_max_pixels, parallel=settings.documents_checks_in_parallel),
        "limits": model.Limits(max_bytes=settings.documents_max_bytes, quota_bytes=settings.documents_unit_quota_bytes),
    }


def _jobs(settings: DocumentsSettings, provided: Mapping[str, object]) -> Sequence[Job]:
    store = provided["store"]
    assert isinstance(store, storage.Store)
    every = settings.documents_sweep_seconds
    orphan_age = timedelta(seconds=settings.documents_orphan_age_seconds)
    return [
        Job("orphan-objects", every, partial(handlers.sweep_orphans, store=store, older_than=orphan_age)),
        Job(
            "purge-deleted",
            every,
            partial(handlers.purge_deleted, store=store, retention_days=settings.documents_retention_days),
        ),
    ]


SPEC = ServiceSpec(
    name="documents",
    settings_cls=DocumentsSettings,
    routes=api.ROUTES,
    migrations=Path(__file__).parent / "migrations",
    provides=_provides,
    jobs=_jobs,
)


def create_app(settings: BaseSettings | None = None) -> Litestar:
    """The documents app; without ``settings`` it loads them from the environment (kernel-only
    settings are completed with the documents' defaults)."""
    if settings is not None and not isinstance(settings, DocumentsSettings):
        settings = msgspec.convert(msgspec.structs.asdict(settings), DocumentsSettings)
    return SPEC.create_app(settings)
