"""The service kernel: what every service and the gateway share, written once.

settings, app factory, error tree and body, internal-token auth, PostgreSQL pool and migrations,
unit of work + outbox relay, inbox consumers, NATS link, telemetry, health, and the runner.
"""

from __future__ import annotations

from .app import build_app, create_service_app
from .auth import (
    TokenSigner,
    TokenVerifier,
    authority_scope,
    caller_of,
    generate_keypair,
    is_service,
    service_caller,
    service_only,
    signed_in,
    system_only,
    unit_scope,
)
from .errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UpstreamError,
)
from .http import ServiceClient
from .inbox import Subscription
from .jurisdiction import covers, may_act_in, province_of_credit_code
from .runtime import Component, Runtime
from .service import ServiceSpec
from .settings import BaseSettings, SettingsError, load_settings
from .tokens import TokenMinter
from .uow import UnitOfWork

__all__ = [
    "BaseSettings",
    "Component",
    "ConflictError",
    "DomainError",
    "ForbiddenError",
    "InvalidInputError",
    "NotFoundError",
    "Runtime",
    "ServiceClient",
    "ServiceSpec",
    "ServiceUnavailableError",
    "SettingsError",
    "Subscription",
    "TokenMinter",
    "TokenSigner",
    "TokenVerifier",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnitOfWork",
    "UpstreamError",
    "authority_scope",
    "build_app",
    "caller_of",
    "covers",
    "create_service_app",
    "generate_keypair",
    "is_service",
    "load_settings",
    "may_act_in",
    "province_of_credit_code",
    "service_caller",
    "service_only",
    "signed_in",
    "system_only",
    "unit_scope",
]
