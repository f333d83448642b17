"""Events applications emits on ``qual.applications.*`` (the ones other services consume)."""

from __future__ import annotations

import datetime

import msgspec

from contracts.base import Event


class ApprovedLevel(msgspec.Struct, frozen=True, kw_only=True):
    """One 专业类别 at one 等级 the approval grants (or keeps)."""

    category: str
    level: str


class ApplicationApproved(Event, frozen=True, tag="applications.application_approved.v1"):
    """批准: an authority approved an application. ``aggregate_id`` is the application id.

    Consumers: the registry issues, changes, replaces or cancels the certificate; identity applies
    the approved 基本信息 ``changes``; staffing makes ``snapshot_id`` the unit's official roster.
    ``certificate_number`` names the certificate concerned (补领, 注销, 变更), when there is one.
    """

    application_id: str
    unit_id: str
    revision: int
    application_type: str
    certificate_type: str
    jurisdiction: str
    approved_on: datetime.date
    levels: list[ApprovedLevel] = msgspec.field(default_factory=list)
    snapshot_id: str | None = None
    certificate_number: str | None = None
    changes: dict[str, str] = msgspec.field(default_factory=dict)
