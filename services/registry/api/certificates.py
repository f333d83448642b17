"""CertificateController: 我的资质证书 (a unit's certificates) and a certificate's 电子证书 download."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from contracts.auth import Caller
from contracts.registry import api
from services.kernel import UnitOfWork, signed_in, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..clock import today
from ..handlers import documents, reads
from ..pdfs import CertificatePdfs
from ..settings import RegistrySettings
from .media import PdfOperation, attachment


class CertificateController(Controller):
    path = "/certificates"
    tags = ("certificates",)

    @get("/mine", operation_id="ListMyCertificates", guards=[unit_scope])
    async def mine(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        settings: NamedDependency[RegistrySettings],
    ) -> api.MyCertificates:
        return await reads.mine(caller, uow=uow, warning_days=settings.registry_expiry_warning_days, today=today())

    @get(
        "/{number:str}/pdf",
        operation_id="DownloadCertificatePdf",
        guards=[signed_in],
        operation_class=PdfOperation,
        responses=refusals(errors.CertificateNotFoundError, errors.PdfNotReadyError),
    )
    async def pdf(
        self,
        number: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        pdfs: NamedDependency[CertificatePdfs],
    ) -> Response[bytes]:
        content = await documents.download(number, caller, uow=uow, pdfs=pdfs)
        return Response(content, media_type="application/pdf", headers=attachment(f"{number}.pdf", "certificate.pdf"))
