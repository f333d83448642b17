"""The registry's composition root: its settings, routes, consumer, jobs and the 电子证书 adapter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import msgspec
from litestar import Litestar

from services.kernel import BaseSettings, Component, ServiceSpec
from services.kernel.jobs import Job

from . import api, consumers
from .clock import today
from .handlers import approvals, documents, expiry
from .pdfs import CertificatePdfs
from .public_view import PublicView
from .settings import RegistrySettings

__all__ = ["SPEC", "create_app"]

REPLAY_SECONDS = 30.0
"""How often changes parked for a certificate not yet in the register are tried again."""


def _provides(settings: RegistrySettings) -> Mapping[str, object]:
    return {"settings": settings, "pdfs": CertificatePdfs(settings), "public_view": PublicView()}


def _components(settings: RegistrySettings, provided: Mapping[str, object]) -> Sequence[Component]:
    """The in-memory public view runs unless REGISTRY_PUBLIC_VIEW is false (never started, it never
    answers: every lookup reads the database)."""
    view = provided["public_view"]
    assert isinstance(view, PublicView)
    return [view] if settings.registry_public_view else []


def _jobs(settings: RegistrySettings, provided: Mapping[str, object]) -> Sequence[Job]:
    pdfs = provided["pdfs"]
    assert isinstance(pdfs, CertificatePdfs)
    return [
        Job(
            "expire-certificates",
            settings.registry_expiry_check_seconds,
            partial(expiry.expire_certificates, today=today),
        ),
        Job("make-certificate-pdfs", settings.registry_pdf_job_seconds, partial(documents.make_missing, pdfs=pdfs)),
        Job("replay-parked-changes", REPLAY_SECONDS, approvals.replay_ready),
    ]


SPEC = ServiceSpec(
    name="registry",
    settings_cls=RegistrySettings,
    routes=api.ROUTES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=consumers.SUBSCRIPTIONS,
    provides=_provides,
    jobs=_jobs,
    components=_components,
)


def create_app(settings: BaseSettings | None = None) -> Litestar:
    """The registry app; without ``settings`` it loads them from the environment (kernel-only
    settings are completed with the registry's defaults)."""
    if settings is not None and not isinstance(settings, RegistrySettings):
        settings = msgspec.convert(msgspec.structs.asdict(settings), RegistrySettings)
    return SPEC.create_app(settings)
