"""RegistrySettings: the variables only the registry reads (expiry warning, public URL, the public
view, the HSM)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from services.kernel import BaseSettings

__all__ = ["RegistrySettings"]


class RegistrySettings(BaseSettings, kw_only=True, frozen=True):
    """Each field is one environment variable (``REGISTRY_EXPIRY_WARNING_DAYS``, ``PKCS11_MODULE``, …)."""

    service_name: str = "registry"
    registry_expiry_warning_days: Annotated[int, msgspec.Meta(ge=0, le=366)] = 30
    """延续 lead time: a certificate expiring within this many days is flagged in 我的资质证书
    (standards.md §2.4 grades the figure C: 30 days matches 行政许可法 §50)."""
    registry_expiry_check_seconds: Annotated[float, msgspec.Meta(gt=0)] = 3600.0
    """How often the expiry job looks (it is idempotent; daily would do, hourly catches midnight)."""
    registry_pdf_job_seconds: Annotated[float, msgspec.Meta(gt=0)] = 2.0
    """How often versions still without their signed 电子证书 are rendered and signed."""
    registry_public_base_url: str = ""
    """The portal's public address: the QR code links to ``<base>/verify?number=…``. Empty: the
    gateway's address (``GATEWAY_URL``, else its port in the kernel registry); the launcher and the
    manifests set it (:attr:`public_base_url`)."""
    registry_verification_max_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 5 << 20
    """The largest 电子证书 PDF accepted by POST /public/verifications."""
    registry_page_size_max: Annotated[int, msgspec.Meta(ge=1)] = 200
    registry_public_view: bool = True
    """``REGISTRY_PUBLIC_VIEW``: keep the public view of every certificate (证书查验) in memory, kept
    current by the database's notifications (``public_view.py``); false: every lookup reads the database."""
    pkcs11_module: str = ""
    """``PKCS11_MODULE``: the HSM's PKCS#11 library (SoftHSM2's in the embedded default); empty: no
    signer, so versions wait for their 电子证书 and a download answers 503."""
    hsm_token_label: str = "qual-certificates"
    hsm_pin: str = ""
    hsm_key_label: str = "certificate-signing"
    hsm_signing_cert: str = ""
    """The signing key's X.509 certificate: the PEM itself or the path of a PEM file."""
    hsm_root_cert: str = ""
    """``HSM_ROOT_CERT``: the platform root that issued it (PEM or path): embedded in every signature,
    the one trust anchor of verification, published on /verify."""

    @property
    def public_base_url(self) -> str:
        """Where the portal is reached: ``REGISTRY_PUBLIC_BASE_URL``, else the gateway's address."""
        return (self.registry_public_base_url or self.service_urls.get("gateway", "")).rstrip("/")
