"""TokenSession: one logged-in PKCS#11 session on the HSM (加密机) holding the certificate-signing key.

Only PyKCS11 is spoken here. The private key never leaves the token: :meth:`TokenSession.sign_digest`
sends a SHA-256 digest to the token (``CKM_ECDSA``) and converts the raw ``r‖s`` answer to DER.
A session is shared by threads under a lock (a signature on SoftHSM2 takes ~0.2 ms).
"""

from __future__ import annotations

import threading
from typing import Any

import PyKCS11
from asn1crypto.core import OctetString
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

__all__ = ["P256_PARAMS", "HsmError", "TokenSession"]

P256_PARAMS = bytes.fromhex("06082a8648ce3d030107")
"""DER of the OID 1.2.840.10045.3.1.7 (secp256r1), the ``CKA_EC_PARAMS`` of the key pair."""


class HsmError(RuntimeError):
    """The HSM, its token or the signing key is missing or refused an operation."""


def load_library(module: str) -> Any:
    """Load (or share, PyKCS11 counts users) the PKCS#11 module, e.g. ``libsofthsm2.so``."""
    lib = PyKCS11.PyKCS11Lib()
    try:
        lib.load(module)
    except PyKCS11.PyKCS11Error as exc:
        raise HsmError(f"cannot load the PKCS#11 module {module!r}: {exc}") from exc
    return lib


def find_slot(lib: Any, label: str) -> int | None:
    """The slot holding the token labelled ``label`` (SoftHSM2 renumbers slots: never trust a number)."""
    for slot in lib.getSlotList(tokenPresent=True):
        if lib.getTokenInfo(slot).label.strip(" \x00") == label:
            return int(slot)
    return None


class TokenSession:
    """A user session on the token ``token_label``; close it with :meth:`close`."""

    def __init__(self, module: str, token_label: str, pin: str) -> None:
        self._lib = load_library(module)
        slot = find_slot(self._lib, token_label)
        if slot is None:
            raise HsmError(f"no PKCS#11 token labelled {token_label!r} in {module!r}")
        self._session = self._lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
        try:
            self._session.login(pin)
        except PyKCS11.PyKCS11Error as exc:
            if exc.value != PyKCS11.CKR_USER_ALREADY_LOGGED_IN:  # login is per process, shared by sessions
                self._session.closeSession()
                raise HsmError(f"the token {token_label!r} refused the PIN: {exc}") from exc
        self._lock = threading.Lock()
        self._keys: dict[str, Any] = {}

    @property
    def session(self) -> Any:
        """The PyKCS11 session (provisioning creates objects through it)."""
        return self._session

    def find(self, key_label: str, object_class: int) -> Any | None:
        """The token object of class ``object_class`` labelled ``key_label``, or ``None``."""
        with self._lock:
            found = self._session.findObjects([(PyKCS11.CKA_CLASS, object_class), (PyKCS11.CKA_LABEL, key_label)])
        return found[0] if found else None

    def private_key(self, key_label: str) -> Any:
        """The private key handle, cached after the first look-up."""
        if key_label not in self._keys:
            key = self.find(key_label, PyKCS11.CKO_PRIVATE_KEY)
            if key is None:
                raise HsmError(f"no private key labelled {key_label!r} on the token")
            self._keys[key_label] = key
        return self._keys[key_label]

    def public_key(self, key_label: str) -> ec.EllipticCurvePublicKey:
        """The P-256 public key read from ``CKA_EC_POINT`` (a DER OCTET STRING around the point)."""
        handle = self.find(key_label, PyKCS11.CKO_PUBLIC_KEY)
        if handle is None:
            raise HsmError(f"no public key labelled {key_label!r} on the token")
        with self._lock:
            (point,) = self._session.getAttributeValue(handle, [PyKCS11.CKA_EC_POINT])
        raw = OctetString.load(bytes(point)).native
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)

    def attributes(self, handle: Any, attributes: list[int]) -> list[Any]:
        """Attribute values of an object; PyKCS11 answers ``None`` for a sensitive one."""
        with self._lock:
            return list(self._session.getAttributeValue(handle, attributes))

    def sign_digest(self, key_label: str, digest: bytes) -> bytes:
        """ECDSA on the token over a ready digest; the DER ``ECDSA-Sig-Value`` X.509 and CMS expect."""
        key = self.private_key(key_label)
        with self._lock:
            raw = bytes(self._session.sign(key, digest, PyKCS11.Mechanism(PyKCS11.CKM_ECDSA, None)))
        half = len(raw) // 2
        return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))

    def close(self) -> None:
        """Close the session (idempotent). No C_Logout: the login belongs to every session of the
        process on this token and ends with the last one closed."""
        with self._lock:
            if self._session is not None:
                self._session.closeSession()
                self._session = None
