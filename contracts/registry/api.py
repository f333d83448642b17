"""HTTP API of the registry (证书登记): certificates, the authority's register, public verification.

Routes (behind the internal token; through the gateway at ``/api/registry/…``):
    GET  /certificates/mine              -> MyCertificates        (unit: its own, ``expiring_soon`` flagged)
    GET  /certificates/{number}/pdf      -> application/pdf       (owner unit; covering authority; 自然资源部)
    GET  /register?number=&unit_name=&credit_code=&certificate_type=&category=&status=
                  &expires_before=&expires_after=&page=&page_size=   -> RegisterPage   (authority: its jurisdiction)
    GET  /register.csv?<the same filters> -> text/csv, UTF-8 with BOM, streamed      (authority)
    GET  /register/{number}              -> CertificateDetail with the version history  (authority)
    GET  /public/certificates/{number}   -> PublicCertificate     (anyone: the gateway's anonymous token)
    POST /public/verifications           multipart ``file`` (an 电子证书 PDF) -> Verification   (anyone)

A number that is unknown, malformed, or outside what the caller may read answers the same 404
``registry.certificate_not_found`` "未查询到该证书". The public views carry nothing personal: no
法定代表人, no 注册地址, no 统一社会信用代码.
"""

from __future__ import annotations

import datetime
from typing import Literal

from contracts.base import Response
from contracts.registry.events import CertifiedCategory

__all__ = [
    "CertificateDetail",
    "CertificateStatus",
    "CertificateSummary",
    "CertificateVersion",
    "MyCertificates",
    "PublicCertificate",
    "RegisterEntry",
    "RegisterPage",
    "SigningTrust",
    "TrustCertificate",
    "Verification",
    "VerificationOutcome",
]

CertificateStatus = Literal["有效", "已注销", "已过期", "已换证"]
VerificationOutcome = Literal["有效", "签名无效", "未登记", "已注销", "已换证", "已过期", "非现行版本"]
"""核验结论 of an uploaded 电子证书: the signature and the register together."""
"""证书状态: 有效; 已注销 (资质注销); 已过期 (validity ended); 已换证 (replaced through 复审换证)."""


class CertificateSummary(Response):
    """One of the unit's certificates in 我的资质证书; ``expiring_soon``: valid, and its validity ends
    within the 延续 lead time (the work list warns)."""

    number: str
    certificate_type: str
    level: str
    regime: Literal["2021", "legacy"]
    unit_name: str
    categories: list[CertifiedCategory]
    authority_name: str
    issued_on: datetime.date
    valid_until: datetime.date
    status: CertificateStatus
    current_version: int
    expiring_soon: bool
    pdf_ready: bool


class MyCertificates(Response):
    items: list[CertificateSummary]
    warning_days: int
    """The lead time behind ``expiring_soon``."""


class RegisterEntry(Response):
    """One row of the authority's register."""

    number: str
    certificate_type: str
    level: str
    regime: Literal["2021", "legacy"]
    unit_name: str
    credit_code: str
    categories: list[CertifiedCategory]
    issuing_jurisdiction: str
    authority_name: str
    issued_on: datetime.date
    valid_until: datetime.date
    status: CertificateStatus


class RegisterPage(Response):
    items: list[RegisterEntry]
    page: int
    page_size: int
    total: int


class CertificateVersion(Response):
    """One version: 发证, 换发 (基本信息变更), 专业范围变更 or 补发 (补领证书); ``void``: a copy a later
    补发 replaced."""

    version: int
    kind: Literal["发证", "换发", "专业范围变更", "补发"]
    issued_on: datetime.date
    unit_name: str
    registered_address: str
    legal_representative: str
    authority_name: str
    categories: list[CertifiedCategory]
    void: bool
    application_id: str | None = None
    pdf_sha256: str | None = None
    verify_url: str | None = None
    """The verification address its 电子证书's QR code carries (None until it is made, and for copies
    made before the address was recorded)."""


class CertificateDetail(RegisterEntry, kw_only=True):
    """The register's detail view: the entry, the holder's particulars and the version history."""

    registered_address: str
    legal_representative: str
    current_version: int
    versions: list[CertificateVersion]
    unit_id: str | None = None
    cancelled_on: datetime.date | None = None
    cancel_reason: str | None = None
    replaced_by: str | None = None


class PublicCertificate(Response):
    """What anyone may read about a number: nothing personal."""

    number: str
    certificate_type: str
    level: str
    unit_name: str
    categories: list[CertifiedCategory]
    authority_name: str
    issued_on: datetime.date
    valid_until: datetime.date
    status: CertificateStatus


class Verification(Response):
    """核验结果 of an uploaded 电子证书: ``signature_valid`` (the platform's signature, untouched,
    covering the whole file) and ``matches_register`` (valid, and it is the register's current,
    not void, version of its number), combined with the certificate's status into ``outcome``.
    ``certificate`` is the register's public view of the number, given only for a valid signature
    (the number an altered file names proves nothing)."""

    signature_valid: bool
    intact: bool
    matches_register: bool
    number: str | None
    version: int | None
    current_version: int | None
    reason: str
    outcome: VerificationOutcome
    """核验结论, the signature and the register together: only 有效 accepts the file; 已注销,
    已换证, 已过期 and 非现行版本 refuse a genuine one; 签名无效 and 未登记 a file that proves nothing."""
    headline: str
    """The conclusion in one Chinese sentence (what the page shows first)."""
    certificate: PublicCertificate | None = None


class TrustCertificate(Response):
    """One certificate of the 电子证书 signature's chain, as /verify publishes it: ``sha256`` is the
    SHA-256 fingerprint of the DER file served at ``download`` (a path of the registry's API),
    upper-case hex in pairs joined by colons, as PDF readers and browsers show it."""

    subject: str
    issuer: str
    sha256: str
    not_before: datetime.date
    not_after: datetime.date
    download: str


class SigningTrust(Response):
    """What a reader needs to trust the 电子证书's signature: the platform root (the trust anchor to
    import) and the signing certificate it issued (embedded in every signature)."""

    root: TrustCertificate
    signing: TrustCertificate
