"""SUBSCRIPTIONS: the events staffing consumes, each with its handler (idempotent by the inbox)."""

from __future__ import annotations

from contracts.applications.events import ApplicationApproved
from contracts.documents.events import DocumentDeleted, DocumentStored
from contracts.identity.events import UnitAccountRegistered, UnitAccountRegisteredV2, UnitVerified
from contracts.registry.events import (
    CertificateCancelled,
    CertificateChanged,
    CertificateExpired,
    CertificateIssued,
    CertificateLinked,
    CertificateReplaced,
)
from services.kernel import Subscription

from .handlers import held, replicas, snapshots

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(UnitAccountRegistered, replicas.record_unit, name="units-v1"),
    Subscription(UnitAccountRegisteredV2, replicas.record_unit, name="units-v2"),
    Subscription(DocumentStored, replicas.remember_document, name="documents-stored"),
    Subscription(DocumentDeleted, replicas.forget_document, name="documents-deleted"),
    Subscription(ApplicationApproved, snapshots.make_roster_official, name="applications-approved"),
    Subscription(UnitVerified, replicas.record_unit, name="units-verified"),
    Subscription(CertificateIssued, held.record_certificate, name="certificates-issued"),
    Subscription(CertificateChanged, held.record_certificate, name="certificates-changed"),
    Subscription(CertificateReplaced, held.end_certificate, name="certificates-replaced"),
    Subscription(CertificateCancelled, held.end_certificate, name="certificates-cancelled"),
    Subscription(CertificateExpired, held.end_certificate, name="certificates-expired"),
    Subscription(CertificateLinked, held.link_certificate, name="certificates-linked"),
]
