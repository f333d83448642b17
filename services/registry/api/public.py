"""PublicController: what anyone may ask without logging in (the gateway's anonymous token) —
a number's public view and the verification of an uploaded 电子证书."""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath

from contracts.registry import api
from services.kernel import UnitOfWork, caller_of
from services.kernel.multipart import Refusals, read_form
from services.kernel.openapi import refusals

from .. import errors
from ..clock import today
from ..handlers import documents, reads
from ..pdfs import CertificatePdfs
from ..public_view import PublicView
from ..settings import RegistrySettings
from .media import CERTIFICATE_FILE_TYPE, CertificateFileOperation, PdfUploadOperation, attachment

__all__ = ["PublicController", "anyone"]

TrustFile = Literal["root.cer", "signing.cer"]
_TRUST_FILES: dict[str, tuple[str, str]] = {
    "root.cer": ("root", "全国测绘资质管理信息系统平台根证书.cer"),
    "signing.cer": ("signing", "全国测绘资质管理信息系统电子证书签章.cer"),
}


async def anyone(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: any verified caller — the gateway's anonymous visitor (account ``gateway``, role
    system), a signed-in user, or a service. The token itself is still required (the kernel).

    A coroutine function on purpose: Litestar runs a plain-function guard in a worker thread
    (``sync_to_thread``), a thread hop on every public verification for one attribute check."""
    caller_of(connection)


class PublicController(Controller):
    path = "/public"
    tags = ("public",)
    guards = (anyone,)

    @get(
        "/certificates/{number:str}",
        operation_id="GetPublicCertificate",
        responses=refusals(errors.CertificateNotFoundError),
    )
    async def certificate(
        self, number: FromPath[str], uow: NamedDependency[UnitOfWork], public_view: NamedDependency[PublicView]
    ) -> Response[api.PublicCertificate]:
        """证书查验: the body is the JSON already encoded (from the in-memory view, or the database);
        the annotation documents it as the PublicCertificate it is."""
        body = await reads.public_certificate(number, uow=uow, view=public_view)
        return Response[Any](body, media_type=MediaType.JSON)

    @post(
        "/verifications",
        operation_id="VerifyCertificatePdf",
        status_code=200,
        request_max_body_size=None,  # read_form enforces REGISTRY_VERIFICATION_MAX_BYTES as it streams in
        operation_class=PdfUploadOperation,
        responses=refusals(errors.InvalidPdfError, errors.PdfTooLargeError, errors.PdfNotReadyError),
    )
    async def verify(
        self,
        request: Request[Any, Any, Any],
        uow: NamedDependency[UnitOfWork],
        pdfs: NamedDependency[CertificatePdfs],
        settings: NamedDependency[RegistrySettings],
    ) -> api.Verification:
        pdf = await _read_pdf(request, settings.registry_verification_max_bytes)
        return await documents.verify_upload(pdf, uow=uow, pdfs=pdfs, today=today())

    @get("/trust", operation_id="GetSigningTrust", responses=refusals(errors.TrustNotAvailableError))
    async def trust(self, pdfs: NamedDependency[CertificatePdfs]) -> api.SigningTrust:
        """电子签章证书: the platform root and the signing certificate, with their fingerprints."""
        return documents.trust(pdfs)

    @get(
        "/trust/{file:str}",
        operation_id="DownloadTrustCertificate",
        operation_class=CertificateFileOperation,
        responses=refusals(errors.TrustNotAvailableError),
    )
    async def trust_file(self, file: FromPath[TrustFile], pdfs: NamedDependency[CertificatePdfs]) -> Response[bytes]:
        """``root.cer``: the platform root (DER), the trust anchor a PDF reader imports; ``signing.cer``:
        the 电子证书 signing certificate it issued."""
        which, filename = _TRUST_FILES[file]
        der = documents.trust_file(pdfs, which)
        return Response(der, media_type=CERTIFICATE_FILE_TYPE, headers=attachment(filename, file))


async def _read_pdf(request: Request[Any, Any, Any], max_bytes: int) -> bytes:
    form = await read_form(
        request,
        max_bytes=max_bytes,
        refusals=Refusals(
            too_large=lambda: errors.PdfTooLargeError(max_bytes),
            malformed=lambda: errors.InvalidPdfError(),
            field_too_long=lambda _: errors.InvalidPdfError(),
        ),
    )
    if form.file is None or not bytes(form.file[:5]) == b"%PDF-":
        raise errors.InvalidPdfError()
    return bytes(form.file)
