"""The adapter of the 电子证书 (certificate_pdf): render and sign a version on the HSM, verify an
upload. The PKCS#11 signer is opened on first use, once per process, and every blocking call runs
in a worker thread."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import quote

from .settings import RegistrySettings

if TYPE_CHECKING:
    from .certificate_pdf import CertificateSigner, CertificateView, PdfVerdict

__all__ = ["CertificatePdfs", "PublishedCertificate"]


@dataclass(frozen=True, slots=True)
class PublishedCertificate:
    """A certificate of the signature's chain as /verify publishes it (``der`` is the file)."""

    der: bytes
    subject: str
    issuer: str
    not_before: dt.date
    not_after: dt.date

    @property
    def sha256(self) -> str:
        """The SHA-256 fingerprint of the file: ``AB:CD:…``, as PDF readers show it."""
        return ":".join(f"{byte:02X}" for byte in hashlib.sha256(self.der).digest())


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
        return f"{self._settings.public_base_url}/verify?number={quote(number)}"

    @cached_property
    def published(self) -> tuple[PublishedCertificate, PublishedCertificate] | None:
        """(the platform root, the signing certificate) from ``HSM_ROOT_CERT`` and ``HSM_SIGNING_CERT``
        (read once; no HSM session needed), or None when the registry signs nothing."""
        if not (self.available and self._settings.hsm_root_cert and self._settings.hsm_signing_cert):
            return None
        from .certificate_pdf.signing import pem_text

        root = _published(pem_text(self._settings.hsm_root_cert))
        return root, _published(pem_text(self._settings.hsm_signing_cert))

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


def _published(pem: str) -> PublishedCertificate:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    certificate = x509.load_pem_x509_certificate(pem.encode())

    def common_name(name: x509.Name) -> str:
        found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(found[0].value) if found else name.rfc4514_string()

    return PublishedCertificate(
        der=certificate.public_bytes(Encoding.DER),
        subject=common_name(certificate.subject),
        issuer=common_name(certificate.issuer),
        not_before=certificate.not_valid_before_utc.date(),
        not_after=certificate.not_valid_after_utc.date(),
    )
