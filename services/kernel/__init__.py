"""The service kernel: what every service and the gateway share, written once.

settings, app factory, error tree and body, internal-token auth, PostgreSQL pool and migrations,
unit of work + outbox relay, inbox consumers, NATS link, telemetry, health, and the runner.
"""

from __future__ import annotations

from .app import create_service_app
from .auth import TokenSigner, TokenVerifier, authority_scope, caller_of, generate_keypair, unit_scope
from .errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    TooManyRequestsError,
    UnauthorizedError,
    UpstreamError,
)
from .inbox import Subscription
from .runtime import Runtime
from .settings import BaseSettings, SettingsError, load_settings
from .uow import UnitOfWork

__all__ = [
    "BaseSettings",
    "ConflictError",
    "DomainError",
    "ForbiddenError",
    "InvalidInputError",
    "NotFoundError",
    "Runtime",
    "SettingsError",
    "Subscription",
    "TokenSigner",
    "TokenVerifier",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnitOfWork",
    "UpstreamError",
    "authority_scope",
    "caller_of",
    "create_service_app",
    "generate_keypair",
    "load_settings",
    "unit_scope",
]
