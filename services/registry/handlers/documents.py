"""电子证书: every version's signed PDF is made by a job after the issuing transaction (so the
number counter is never held while the HSM signs) or on first download; downloaded by the owner
unit or a covering authority; and an uploaded one is verified against the register."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from contracts.auth import Caller
from contracts.registry import api
from services.kernel import UnitOfWork, may_act_in

from ..errors import CertificateNotFoundError, PdfNotReadyError
from ..pdfs import CertificatePdfs
from ..repository.documents import Documents
from ..repository.register import Register
from .reads import public_of, valid_number

if TYPE_CHECKING:
    from ..certificate_pdf import CertificateView

__all__ = ["download", "make_missing", "verify_upload"]

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


async def verify_upload(pdf: bytes, *, uow: UnitOfWork, pdfs: CertificatePdfs) -> api.Verification:
    """Whether the upload carries the platform's valid signature, and whether it is the register's
    current version of the number it names."""
    if not pdfs.available:
        raise PdfNotReadyError()
    verdict = await pdfs.verify(pdf)
    row = None
    if verdict.number and valid_number(verdict.number):
        async with uow.reading() as conn:
            row = await Register(conn).one(verdict.number)
    current = row["current_version"] if row is not None else None
    return api.Verification(
        signature_valid=verdict.signature_valid,
        intact=verdict.intact,
        matches_register=verdict.signature_valid and current is not None and verdict.version == current,
        number=verdict.number,
        version=verdict.version,
        current_version=current,
        reason=verdict.reason,
        certificate=public_of(row) if row is not None else None,
    )


def _may_download(caller: Caller, row: Any) -> bool:
    owner = caller.role == "unit" and caller.unit_id is not None and caller.unit_id == row["unit_id"]
    return owner or may_act_in(caller, row["issuing_jurisdiction"])


async def _make(row: Any, *, uow: UnitOfWork, pdfs: CertificatePdfs) -> None:
    pdf = await pdfs.make(view_of(row, verify_url=pdfs.verify_url(row["number"])))
    await Documents(uow.conn).store(row["certificate_id"], row["version"], pdf, hashlib.sha256(pdf).hexdigest())
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
