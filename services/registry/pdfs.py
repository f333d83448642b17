"""The adapter of the 电子证书 (certificate_pdf): render and sign a version on the HSM, verify an
upload. The PKCS#11 signer is opened on first use, once per process, and every blocking call runs
in a worker thread."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import quote

from .settings import RegistrySettings

if TYPE_CHECKING:
    from .certificate_pdf import CertificateSigner, CertificateView, PdfVerdict

__all__ = ["CertificatePdfs"]


class CertificatePdfs:
    """``make(view)`` → signed PDF bytes; ``verify(pdf)`` → PdfVerdict. Without ``PKCS11_MODULE``
    nothing can be signed (``available`` is false): versions wait for their document."""

    def __init__(self, settings: RegistrySettings) -> None:
        self._settings = settings
        self._signer: CertificateSigner | None = None
        self._opening = asyncio.Lock()

    @property
    def available(self) -> bool:
        return bool(self._settings.pkcs11_module)

    def verify_url(self, number: str) -> str:
        """The public verification page of ``number`` (what the QR code links to)."""
        return f"{self._settings.registry_public_base_url.rstrip('/')}/verify?number={quote(number)}"

    async def make(self, view: CertificateView) -> bytes:
        from .certificate_pdf import render_certificate

        signer = await self._open()
        unsigned = await asyncio.to_thread(render_certificate, view)
        return await signer.sign_async(unsigned)

    async def verify(self, pdf: bytes) -> PdfVerdict:
        signer = await self._open()
        return await signer.verify_async(pdf)

    def close(self) -> None:
        if self._signer is not None:
            self._signer.close()
            self._signer = None

    async def _open(self) -> CertificateSigner:
        async with self._opening:
            if self._signer is None:
                from .certificate_pdf import CertificateSigner

                self._signer = await asyncio.to_thread(CertificateSigner.open, self._settings)
            return self._signer
