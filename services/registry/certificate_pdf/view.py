"""CertificateView: everything printed on one version of an 电子证书 (electronic certificate).

The registry builds a view from its certificate row; rendering and signing read nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["CategoryLine", "CertificateView"]


@dataclass(frozen=True)
class CategoryLine:
    """One row of the 专业类别 table: the category, its level and its 专业子项."""

    category: str
    level: str
    sub_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class CertificateView:
    """One version of a 测绘资质证书 as it is printed.

    ``number`` is e.g. ``甲测资字11000001``; ``certificate_type`` the 证书类型 text (甲级资质证书, …);
    ``level`` the 资质等级 (甲级/乙级); ``reissued`` marks a 补发 copy (补领证书); ``verify_url`` is the
    public verification page of this number (it goes into the QR code, percent-encoded).
    """

    number: str
    certificate_type: str
    level: str
    unit_name: str
    credit_code: str
    registered_address: str
    legal_representative: str
    categories: tuple[CategoryLine, ...]
    authority_name: str
    issued_on: date
    valid_until: date
    version: int
    reissued: bool
    verify_url: str
