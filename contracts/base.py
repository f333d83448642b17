"""Base classes for events, requests and responses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec

__all__ = ["Event", "Request", "Response", "new_event_id", "utcnow"]


def new_event_id() -> uuid.UUID:
    return uuid.uuid4()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """A fact that happened, published on ``qual.<service>.<name>.v<N>`` (its tag).

    Subclasses declare an explicit ``tag="<service>.<name>.v<N>"`` so a rename never changes the
    wire format. ``aggregate_id`` orders the events of one aggregate.
    """

    aggregate_id: str
    event_id: uuid.UUID = msgspec.field(default_factory=new_event_id)
    occurred_at: datetime = msgspec.field(default_factory=utcnow)
    version: int = 1


class Request(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A request body: unknown fields are refused, so a client's typo is a 400."""


class Response(msgspec.Struct, kw_only=True):
    """A response body: tolerant of added fields for rolling upgrades."""
