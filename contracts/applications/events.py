"""Events applications emits on ``qual.applications.*``: the life of a piece of work (工作).

``aggregate_id`` is always the application id, so a consumer sees one work's events in order.
They carry ids, types, states and dates: no ID numbers, mobiles or persons' names. The legal
representative's name is a public fact printed on the certificate, so ``UnitParticulars``
carries it for the registry.
"""

from __future__ import annotations

import datetime

import msgspec

from contracts.base import Event

__all__ = [
    "ApplicationAccepted",
    "ApplicationApproved",
    "ApplicationCreated",
    "ApplicationDeleted",
    "ApplicationRefused",
    "ApplicationReturned",
    "ApplicationSubmitted",
    "ApplicationWithdrawn",
    "ApprovedLevel",
    "UnitParticulars",
]


class ApprovedLevel(msgspec.Struct, frozen=True, kw_only=True):
    """One 专业类别 at one 等级 the approval grants (or keeps), with its 专业子项 if any."""

    category: str
    level: str
    sub_items: list[str] = msgspec.field(default_factory=list)


class UnitParticulars(msgspec.Struct, frozen=True, kw_only=True):
    """The unit as the approved 单位基本信息 page states it: what a certificate prints."""

    unit_name: str
    credit_code: str
    registered_address: str
    legal_representative: str


class ApplicationCreated(Event, frozen=True, kw_only=True, tag="applications.application_created.v1"):
    """新建工作: a unit created a piece of work (manual 4.1)."""

    application_id: str
    unit_id: str
    application_type: str
    certificate_type: str
    jurisdiction: str


class ApplicationSubmitted(Event, frozen=True, kw_only=True, tag="applications.application_submitted.v1"):
    """提交: the unit submitted ``revision`` (0 first, +1 after each 退回补齐); roster snapshotted and
    documents frozen. ``evaluation`` is the standards' overall answer (pass / fail / incomplete)."""

    application_id: str
    unit_id: str
    revision: int
    application_type: str
    certificate_type: str
    jurisdiction: str
    snapshot_id: str | None = None
    evaluation: str | None = None
    accept_due: datetime.date


class ApplicationAccepted(Event, frozen=True, kw_only=True, tag="applications.application_accepted.v1"):
    """受理, or 视为受理 (``deemed``) when the 5 工作日 passed without acceptance or return."""

    application_id: str
    unit_id: str
    revision: int
    jurisdiction: str
    accepted_on: datetime.date
    decision_due: datetime.date
    deemed: bool = False


class ApplicationReturned(Event, frozen=True, kw_only=True, tag="applications.application_returned.v1"):
    """退回补齐: the unit must correct what the one notice lists, then submit again."""

    application_id: str
    unit_id: str
    revision: int
    jurisdiction: str
    returned_on: datetime.date


class ApplicationWithdrawn(Event, frozen=True, kw_only=True, tag="applications.application_withdrawn.v1"):
    """撤回: the unit withdrew the work before acceptance."""

    application_id: str
    unit_id: str
    revision: int
    jurisdiction: str


class ApplicationApproved(Event, frozen=True, kw_only=True, tag="applications.application_approved.v1"):
    """批准: an authority approved an application. ``aggregate_id`` is the application id.

    Consumers: the registry issues, changes, replaces or cancels the certificate; identity applies
    the approved 基本信息 ``changes`` (keys ``unit_name``, ``registered_address``,
    ``legal_representative``) and marks the unit verified after 新单位注册; staffing makes
    ``snapshot_id`` the unit's official roster. ``certificate_number`` names the certificate
    concerned (补领, 注销, 变更, 专业范围变更, 复审换证: the old-regime number), when there is one.
    ``reason`` is 补领's 遗失/损毁 or 注销's reason. ``authority_name`` is the approving 机关名称.
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
    unit: UnitParticulars | None = None
    authority_name: str | None = None
    reason: str | None = None


class ApplicationRefused(Event, frozen=True, kw_only=True, tag="applications.application_refused.v1"):
    """不予批准: refused, with reasons and the notice of the right to 行政复议 / 行政诉讼 (in the record)."""

    application_id: str
    unit_id: str
    revision: int
    jurisdiction: str
    refused_on: datetime.date


class ApplicationDeleted(Event, frozen=True, kw_only=True, tag="applications.application_deleted.v1"):
    """删除: the unit deleted work it never submitted."""

    application_id: str
    unit_id: str
