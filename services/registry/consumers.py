"""SUBSCRIPTIONS: the events the registry consumes, each with its handler (idempotent by the inbox
and, beyond it, by applied_approvals and by linking only certificates without a unit)."""

from __future__ import annotations

from contracts.applications.events import ApplicationApproved
from contracts.identity.events import UnitVerified
from services.kernel import Subscription

from .handlers import approvals, linking

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(ApplicationApproved, approvals.apply_approval, name="applications-approved"),
    Subscription(UnitVerified, linking.link_verified_unit, name="units-verified"),
]
