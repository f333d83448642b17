"""SUBSCRIPTIONS: the events identity consumes, each with its handler (idempotent by the inbox)."""

from __future__ import annotations

from contracts.applications.events import ApplicationApproved
from services.kernel import Subscription

from . import handlers

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(ApplicationApproved, handlers.apply_approval, name="applications-approved"),
]
