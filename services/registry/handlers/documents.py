"""电子证书: every version's signed PDF is made by a job after the issuing transaction (so the
number counter is never held while the HSM signs) or on first download; downloaded by the owner
unit or a covering authority; and an uploaded one is verified against the register."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import TYPE_CHECKING, Any

from contracts.auth import Caller
from contracts.registry import api
from services.kernel import UnitOfWork, may_act_in

from ..errors import CertificateNotFoundError, PdfNotReadyError, TrustNotAvailableError
from ..model import verdict_of
from ..pdfs import CertificatePdfs, PublishedCertificate
from ..repository.documents import Documents
from ..repository.register import Register
from .reads import public_of, valid_number

if TYPE_CHECKING:
    from ..certificate_pdf import CertificateView

__all__ = ["TRUST_FILES", "download", "make_missing", "trust", "trust_file", "verify_upload"]

TRUST_FILES = {"root": "/public/trust/root.cer", "signing": "/public/trust/signing.cer"}
"""Where the platform root and the signing certificate are downloaded (DER), under the registry's API."""

logger = logging.getLogger(__name__)


async def make_missing(uow: UnitOfWork, *, pdfs: CertificatePdfs, batch: int = 10) -> int:
    """The job: render and sign the versions still without a document; how many were made."""
    if not pdfs.available:
        return 0
    async with uow:
        rows = await Documents(uow.conn).missing(batch)
        for row in rows:
            await _make(row, uow=uow, pdfs=pdfs)
        await uow.commit()
    return len(rows)


async def download(number: str, caller: Caller, *, uow: UnitOfWork, pdfs: CertificatePdfs) -> bytes:
    """The current version's signed PDF, for the owner unit or an authority covering the issuer."""
    async with uow.reading() as conn:
        row = await Register(conn).one(number) if valid_number(number) else None
        if row is None or not _may_download(caller, row) or row["regime"] != "2021":
            raise CertificateNotFoundError()
        document = await Register(conn).document(row["id"], row["current_version"])
    if document is not None and document.pdf is not None:
        return document.pdf
    if not pdfs.available:
        raise PdfNotReadyError()
    async with uow:
        waiting = await Documents(uow.conn).waiting(row["id"], row["current_version"])
        if waiting is not None:
            await _make(waiting, uow=uow, pdfs=pdfs)
        await uow.commit()
    async with uow.reading() as conn:
        document = await Register(conn).document(row["id"], row["current_version"])
    if document is None or document.pdf is None:
        raise PdfNotReadyError()
    return document.pdf


async def verify_upload(pdf: bytes, *, uow: UnitOfWork, pdfs: CertificatePdfs, today: dt.date) -> api.Verification:
    """Whether the upload carries the platform's valid signature, whether it is the register's
    current version of the number it names, and what the two make of it (model.verdict_of)."""
    if not pdfs.available:
        raise PdfNotReadyError()
    verdict = await pdfs.verify(pdf)
    row = None
    if verdict.number and valid_number(verdict.number):
        async with uow.reading() as conn:
            row = await Register(conn).one(verdict.number)
    current = row["current_version"] if row is not None else None
    conclusion = verdict_of(
        signature_valid=verdict.signature_valid,
        version=verdict.version,
        register=dict(row) if row is not None else None,
        today=today,
    )
    return api.Verification(
        signature_valid=verdict.signature_valid,
        intact=verdict.intact,
        matches_register=verdict.signature_valid and current is not None and verdict.version == current,
        number=verdict.number,
        version=verdict.version,
        current_version=current,
        reason=verdict.reason,
        outcome=conclusion.outcome,
        headline=conclusion.headline,
        certificate=public_of(row) if row is not None and verdict.signature_valid else None,
    )


def trust(pdfs: CertificatePdfs) -> api.SigningTrust:
    """The chain every 电子证书's signature carries, as /verify publishes it (with the fingerprints)."""
    root, signing = _published(pdfs)
    return api.SigningTrust(
        root=_trust_entry(root, TRUST_FILES["root"]), signing=_trust_entry(signing, TRUST_FILES["signing"])
    )


def trust_file(pdfs: CertificatePdfs, which: str) -> bytes:
    """The DER file of the platform root (``root``) or of the signing certificate (``signing``)."""
    root, signing = _published(pdfs)
    return (root if which == "root" else signing).der


def _published(pdfs: CertificatePdfs) -> tuple[PublishedCertificate, PublishedCertificate]:
    published = pdfs.published
    if published is None:
        raise TrustNotAvailableError()
    return published


def _trust_entry(certificate: PublishedCertificate, download: str) -> api.TrustCertificate:
    return api.TrustCertificate(
        subject=certificate.subject,
        issuer=certificate.issuer,
        sha256=certificate.sha256,
        not_before=certificate.not_before,
        not_after=certificate.not_after,
        download=download,
    )


def _may_download(caller: Caller, row: Any) -> bool:
    owner = caller.role == "unit" and caller.unit_id is not None and caller.unit_id == row["unit_id"]
    return owner or may_act_in(caller, row["issuing_jurisdiction"])


async def _make(row: Any, *, uow: UnitOfWork, pdfs: CertificatePdfs) -> None:
    verify_url = pdfs.verify_url(row["number"])
    pdf = await pdfs.make(view_of(row, verify_url=verify_url))
    digest = hashlib.sha256(pdf).hexdigest()
    await Documents(uow.conn).store(row["certificate_id"], row["version"], pdf, digest, verify_url)
    logger.info("电子证书 of %s version %d made", row["number"], row["version"])


def view_of(row: Any, *, verify_url: str) -> CertificateView:
    """What the version prints (certificate_pdf's CertificateView)."""
    from ..certificate_pdf import CategoryLine, CertificateView

    particulars = row["particulars"]
    return CertificateView(
        number=row["number"],
        certificate_type=row["certificate_type"],
        level=row["level"],
        unit_name=particulars["unit_name"],
        credit_code=row["credit_code"],
        registered_address=particulars["registered_address"],
        legal_representative=particulars["legal_representative"],
        categories=tuple(
            CategoryLine(item["category"], item["level"], tuple(item.get("sub_items", ())))
            for item in row["categories"]
        ),
        authority_name=particulars["authority_name"],
        issued_on=row["issued_on"],
        valid_until=row["valid_until"],
        version=row["version"],
        reissued=row["kind"] == "补发",
        verify_url=verify_url,
    )
