"""Events the registry (证书登记) emits on ``qual.registry.*``.

``aggregate_id`` is the certificate number (证书编号), so every consumer sees one certificate's
events in order. The holder is named by ``credit_code`` always and ``unit_id`` when the unit has
an account (an old-regime certificate may belong to a unit that never registered). Nothing
personal: the legal representative stays in the register.
"""

from __future__ import annotations

import datetime
from typing import Literal

import msgspec

from contracts.base import Event

__all__ = [
    "CertificateCancelled",
    "CertificateChanged",
    "CertificateExpired",
    "CertificateIssued",
    "CertificateLinked",
    "CertificateReplaced",
    "CertifiedCategory",
]

Regime = Literal["2021", "legacy"]
"""``2021``: issued under the 2021 standard; ``legacy``: an old-regime (甲/乙/丙/丁) certificate
loaded for 复审换证."""


class CertifiedCategory(msgspec.Struct, frozen=True, kw_only=True):
    """One 专业类别 on a certificate at its 等级, with its 专业子项."""

    category: str
    level: str
    sub_items: list[str] = msgspec.field(default_factory=list)


class CertificateIssued(Event, frozen=True, kw_only=True, tag="registry.certificate_issued.v1"):
    """发证: a new certificate (资质申请, 复审换证) or an old-regime one loaded into the register."""

    certificate_id: str
    number: str
    unit_id: str | None = None
    credit_code: str
    certificate_type: str
    level: str
    regime: Regime = "2021"
    categories: list[CertifiedCategory] = msgspec.field(default_factory=list)
    issuing_jurisdiction: str
    issued_on: datetime.date
    valid_until: datetime.date
    application_id: str | None = None
    certificate_version: int = 1


class CertificateChanged(Event, frozen=True, kw_only=True, tag="registry.certificate_changed.v1"):
    """A new version of a certificate: 基本信息变更 (换发), 专业范围变更, or 补领 (补发, ``reissued``).
    Same number and validity; ``categories`` are the version's categories."""

    certificate_id: str
    number: str
    unit_id: str | None = None
    credit_code: str
    certificate_type: str
    change: Literal["基本信息变更", "专业范围变更", "补领证书"]
    categories: list[CertifiedCategory] = msgspec.field(default_factory=list)
    issued_on: datetime.date
    valid_until: datetime.date
    application_id: str | None = None
    certificate_version: int


class CertificateReplaced(Event, frozen=True, kw_only=True, tag="registry.certificate_replaced.v1"):
    """已换证: an old-regime certificate replaced by ``replaced_by`` through 复审换证."""

    certificate_id: str
    number: str
    unit_id: str | None = None
    credit_code: str
    replaced_by: str
    replaced_on: datetime.date
    application_id: str | None = None


class CertificateCancelled(Event, frozen=True, kw_only=True, tag="registry.certificate_cancelled.v1"):
    """资质注销: the certificate is 已注销 from ``cancelled_on``."""

    certificate_id: str
    number: str
    unit_id: str | None = None
    credit_code: str
    certificate_type: str
    cancelled_on: datetime.date
    reason: str
    application_id: str | None = None


class CertificateExpired(Event, frozen=True, kw_only=True, tag="registry.certificate_expired.v1"):
    """已过期: the daily job found the validity ended (``valid_until`` before ``expired_on``)."""

    certificate_id: str
    number: str
    unit_id: str | None = None
    credit_code: str
    certificate_type: str
    expired_on: datetime.date


class CertificateLinked(Event, frozen=True, kw_only=True, tag="registry.certificate_linked.v1"):
    """关联单位: an old-regime certificate loaded without a unit is now the unit's, found by its
    ``credit_code`` once identity verified the unit (新单位注册 approved). Nothing else changes."""

    certificate_id: str
    number: str
    unit_id: str
    credit_code: str
