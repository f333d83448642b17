"""CertificateSigner: the PAdES signature (电子签章) of an 电子证书, made on the HSM, and its verification.

The signature is PAdES B-B (``/ETSI.CAdES.detached``, signing-certificate-v2) made by pyhanko with
:class:`TokenSigner`, a pyhanko ``Signer`` whose raw signature is computed by the token through PKCS#11
(``CKM_ECDSA`` over the SHA-256 digest of the signed attributes). The signature embeds the signing
certificate and the platform root that issued it, so a PDF reader that trusts the root (published on
/verify) accepts it. Verification trusts exactly that root; nothing is fetched. A copy signed before
the root existed carries a self-signed certificate of the same signing key: that certificate is
trusted as its own anchor only when its key is the platform's signing key (only the token could have
signed it).

Thread use: one signer per process. The PKCS#11 session is shared under a lock; :meth:`sign` and
:meth:`verify` run their own event loop, so call them from a worker thread (or use the ``*_async``
methods, which do exactly that with ``asyncio.to_thread``), never on a running event loop's thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .hsm import TokenSession
from .render import read_identity

__all__ = ["CertificateSigner", "PdfVerdict", "SignerConfig", "TokenSigner"]

_FIELD = "CertificateSignature"
_BYTES_RESERVED = 8192
"""Room for the CMS blob: one P-256 certificate and signature need ~1.5 kB (hex doubles it)."""


@dataclass(frozen=True)
class SignerConfig:
    """Where the key lives: the PKCS#11 module, the token, its PIN, the key label, its certificate and
    the platform root that issued it (both PEM)."""

    pkcs11_module: str
    token_label: str
    pin: str
    key_label: str
    signing_cert_pem: str
    root_cert_pem: str

    @classmethod
    def from_settings(cls, settings: Any) -> SignerConfig:
        """From the registry settings: ``pkcs11_module``, ``hsm_token_label``, ``hsm_pin``, ``hsm_key_label``,
        ``hsm_signing_cert`` and ``hsm_root_cert`` (each the PEM itself, or the path of a PEM file)."""
        return cls(
            settings.pkcs11_module,
            settings.hsm_token_label,
            settings.hsm_pin,
            settings.hsm_key_label,
            pem_text(settings.hsm_signing_cert),
            pem_text(settings.hsm_root_cert),
        )


def pem_text(value: str) -> str:
    """A certificate setting's PEM: the value itself, or the content of the file it names."""
    text = str(value)
    return text if text.lstrip().startswith("-----BEGIN") else Path(text).read_text()


@dataclass(frozen=True)
class PdfVerdict:
    """What an uploaded PDF proves (核验结果).

    ``signature_valid``: signed by the platform's key, untouched since, covering the whole file;
    ``intact``: the signed bytes hash to the signed digest; ``number``/``version``: read from the PDF's
    metadata (signed when ``signature_valid``; ``None`` when absent); ``reason``: a Chinese sentence.
    """

    signature_valid: bool
    intact: bool
    number: str | None
    version: int | None
    reason: str


class TokenSigner(signers.Signer):
    """A pyhanko signer whose private-key operation happens on the HSM token."""

    def __init__(
        self, session: TokenSession, key_label: str, certificate: asn1_x509.Certificate, root: asn1_x509.Certificate
    ) -> None:
        # The registry holds only the root: the signer's own certificate is embedded once anyway.
        super().__init__(signing_cert=certificate, cert_registry=SimpleCertificateStore.from_certs([root]))
        self._session = session
        self._key_label = key_label

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        """Sign ``data`` (the DER of the signed attributes); a dry run answers a 72-byte placeholder."""
        if dry_run:
            return bytes(72)
        digest = hashlib.new(digest_algorithm, data).digest()
        return self._session.sign_digest(self._key_label, digest)


class CertificateSigner:
    """Signs 电子证书 PDFs on the HSM and verifies uploaded ones; keeps one PKCS#11 session open."""

    def __init__(self, config: SignerConfig) -> None:
        self._config = config
        self._certificate = _load_certificate(config.signing_cert_pem)
        self._root = _load_certificate(config.root_cert_pem)
        self._session = TokenSession(config.pkcs11_module, config.token_label, config.pin)
        self._session.private_key(config.key_label)  # fails now, not at the first signature
        self._signer = TokenSigner(self._session, config.key_label, self._certificate, self._root)
        self._meta = signers.PdfSignatureMetadata(
            field_name=_FIELD,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason="测绘资质电子证书",
            location="中国",
        )

    @classmethod
    def open(cls, settings: Any) -> CertificateSigner:
        """Open the signer the registry's settings describe (see :meth:`SignerConfig.from_settings`)."""
        return cls(SignerConfig.from_settings(settings))

    @property
    def signing_cert_pem(self) -> str:
        return self._config.signing_cert_pem

    def sign(self, pdf: bytes) -> bytes:
        """The PAdES-signed PDF (an incremental update of ``pdf``). Blocks; not on an event loop thread."""
        return asyncio.run(self._sign(pdf))

    async def sign_async(self, pdf: bytes) -> bytes:
        return await asyncio.to_thread(self.sign, pdf)

    def verify(self, pdf: bytes) -> PdfVerdict:
        """Judge an uploaded PDF; any unreadable or altered file is simply not valid (never raises)."""
        try:
            return asyncio.run(self._verify(pdf))
        except Exception as exc:  # a damaged PDF can fail anywhere in the parser: not valid, never a 500
            return PdfVerdict(False, False, None, None, f"无法读取该文件的签名（{type(exc).__name__}）")

    async def verify_async(self, pdf: bytes) -> PdfVerdict:
        return await asyncio.to_thread(self.verify, pdf)

    def close(self) -> None:
        """Close the PKCS#11 session."""
        self._session.close()

    def _anchors(self, signer: asn1_x509.Certificate | None) -> list[asn1_x509.Certificate]:
        """The root, and a copy's self-signed certificate of the platform's own signing key (made
        before the root existed: only the token could have signed it)."""
        anchors = [self._root]
        ours = self._certificate.public_key.dump()
        if signer is not None and signer.public_key.dump() == ours and _self_issued(signer):
            anchors.append(signer)
        return anchors

    async def _sign(self, pdf: bytes) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        pdf_signer = signers.PdfSigner(self._meta, signer=self._signer)
        out = await pdf_signer.async_sign_pdf(writer, bytes_reserved=_BYTES_RESERVED)
        return bytes(out.getbuffer())

    async def _verify(self, pdf: bytes) -> PdfVerdict:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        number, version = read_identity(_keywords(reader))
        if not reader.embedded_signatures:
            return PdfVerdict(False, False, number, version, "文件中没有电子签章")
        signature = reader.embedded_signatures[-1]
        context = ValidationContext(trust_roots=self._anchors(signature.signer_cert), allow_fetching=False)
        status = await async_validate_pdf_signature(signature, context)
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        valid = bool(status.bottom_line) and whole
        return PdfVerdict(valid, bool(status.intact), number, version, _reason(status, whole))


def _load_certificate(text: str) -> asn1_x509.Certificate:
    _, _, der = pem.unarmor(text.encode())
    return asn1_x509.Certificate.load(der)


def _self_issued(certificate: asn1_x509.Certificate) -> bool:
    """Whether ``certificate``'s own key made its signature (a trust anchor's is never checked)."""
    try:
        parsed = x509.load_der_x509_certificate(certificate.dump())
        parsed.verify_directly_issued_by(parsed)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _keywords(reader: PdfFileReader) -> str | None:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return None
    value = info.get_object().get("/Keywords")
    return None if value is None else str(value)


def _reason(status: Any, whole: bool) -> str:
    if not status.intact:
        return "签章后文件内容已被修改"
    if not status.valid:
        return "签名值无效"
    if not status.trusted:
        return "签名证书不是本平台的证书签章证书"
    if not whole:
        return "签章后文件被追加修改"
    return "签章有效，文件未被修改"
