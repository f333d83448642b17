"""SUBSCRIPTIONS: the events the registry consumes, each with its handler (idempotent by the inbox
and, beyond it, by applied_approvals)."""

from __future__ import annotations

from contracts.applications.events import ApplicationApproved
from services.kernel import Subscription

from .handlers import approvals

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(ApplicationApproved, approvals.apply_approval, name="applications-approved"),
]
