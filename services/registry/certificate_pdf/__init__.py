"""电子证书: the signed PDF of a certificate version.

- ``view``: :class:`CertificateView`, the data printed (built by the registry from its row);
- ``render``: :func:`render_certificate` → unsigned PDF bytes (reportlab, embedded WenQuanYi Zen Hei,
  categories table, QR code of the verification URL, number and version in the PDF metadata);
- ``signing``: :class:`CertificateSigner` → PAdES B-B signature made on the HSM through PKCS#11, and
  :meth:`CertificateSigner.verify` → :class:`PdfVerdict`;
- ``token``: :func:`ensure_token`, provisioning of a SoftHSM2 token with the platform's
  certificate-signing key and its self-signed X.509 certificate (signed by the token).

Typical use (the registry's composition root opens one signer per process)::

    signer = CertificateSigner.open(settings)          # or CertificateSigner(SignerConfig(...))
    pdf = signer.sign(render_certificate(view))        # or: await signer.sign_async(...)
    verdict = signer.verify(uploaded_pdf)              # PdfVerdict(signature_valid, intact, number, version, reason)
    signer.close()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .view import CategoryLine, CertificateView

if TYPE_CHECKING:
    from .render import render_certificate
    from .signing import CertificateSigner, PdfVerdict, SignerConfig
    from .token import ensure_token

_LAZY = {
    "render_certificate": "render",
    "CertificateSigner": "signing",
    "PdfVerdict": "signing",
    "SignerConfig": "signing",
    "ensure_token": "token",
}

__all__ = [
    "CategoryLine",
    "CertificateSigner",
    "CertificateView",
    "PdfVerdict",
    "SignerConfig",
    "ensure_token",
    "render_certificate",
]


def __getattr__(name: str) -> Any:
    """Import reportlab and pyhanko (~2 s) only when used: token provisioning needs neither."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
