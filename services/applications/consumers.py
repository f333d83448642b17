"""SUBSCRIPTIONS: the events the applications service consumes (idempotent by the inbox).

The workflow adds its subscriptions here (one line each).
"""

from __future__ import annotations

from contracts.applications.events import ApplicationApproved
from contracts.identity.events import UnitAccountRegisteredV2, UnitVerified
from contracts.registry.events import (
    CertificateCancelled,
    CertificateChanged,
    CertificateExpired,
    CertificateIssued,
    CertificateReplaced,
)
from services.kernel import Subscription

from .handlers import replicas

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(UnitAccountRegisteredV2, replicas.record_unit, name="units-v2"),
    Subscription(UnitVerified, replicas.record_verified, name="units-verified"),
    Subscription(CertificateIssued, replicas.record_certificate, name="certificates-issued"),
    Subscription(CertificateChanged, replicas.record_certificate, name="certificates-changed"),
    Subscription(CertificateReplaced, replicas.record_certificate_end, name="certificates-replaced"),
    Subscription(CertificateCancelled, replicas.record_certificate_end, name="certificates-cancelled"),
    Subscription(CertificateExpired, replicas.record_certificate_end, name="certificates-expired"),
    Subscription(ApplicationApproved, replicas.record_approved_particulars, name="own-approved"),
]
