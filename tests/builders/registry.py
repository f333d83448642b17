"""Builders for the registry's events as other services consume them, and the dates they carry."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from contracts.registry.events import CertificateIssued, CertifiedCategory, Regime

__all__ = ["certificate_issued", "months_before"]


def months_before(day: dt.date, months: int) -> dt.date:
    """The day ``months`` whole months before ``day`` (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month + 1, candidate)
        except ValueError:
            continue
    return dt.date(year, month + 1, day.day)


def certificate_issued(
    number: str,
    *,
    since: dt.date,
    unit_id: str | None,
    credit_code: str,
    categories: Sequence[str] = ("测绘航空摄影",),
    level: str = "乙级",
    regime: Regime = "2021",
    certificate_type: str | None = None,
    valid_until: dt.date = dt.date(2099, 12, 31),
    version: int = 1,
) -> CertificateIssued:
    """发证 of a certificate of ``level`` in ``categories``, issued on ``since``, valid for long
    unless ``valid_until`` says otherwise."""
    return CertificateIssued(
        aggregate_id=number,
        certificate_id=str(uuid.uuid4()),
        number=number,
        unit_id=unit_id,
        credit_code=credit_code,
        certificate_type=certificate_type or f"{level}资质证书",
        level=level,
        regime=regime,
        categories=[CertifiedCategory(category=category, level=level) for category in categories],
        issuing_jurisdiction="110000",
        issued_on=since,
        valid_until=valid_until,
        certificate_version=version,
    )
