"""Provisioning of the HSM token (签章密钥): the SoftHSM2 token of the embedded default and tests.

:func:`ensure_token` is idempotent: it initialises the token if missing, generates the platform's EC
P-256 certificate-signing key pair on it if missing (sensitive, never extractable), and writes a
self-signed X.509 certificate for that key next to the token. The certificate is signed BY THE TOKEN:
it is built with a throwaway key (so its TBS names ecdsa-with-SHA256), then the TBS bytes are signed on
the token and the certificate reassembled with asn1crypto.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from pathlib import Path

import PyKCS11
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .hsm import P256_PARAMS, HsmError, TokenSession, find_slot, load_library

__all__ = ["CERTIFICATE_SUBJECT", "certificate_path", "ensure_token", "main", "softhsm_config"]

CERTIFICATE_SUBJECT = "全国测绘资质管理信息系统 电子证书签章"
_VALIDITY = dt.timedelta(days=3650)


def softhsm_config(token_dir: str | Path) -> Path:
    """Write ``softhsm2.conf`` naming ``token_dir/tokens`` and point ``SOFTHSM2_CONF`` at it.

    SoftHSM2 reads the variable when the module is first loaded, so a process uses one token directory.
    """
    root = Path(token_dir)
    (root / "tokens").mkdir(parents=True, exist_ok=True, mode=0o700)
    conf = root / "softhsm2.conf"
    text = f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    if not conf.exists() or conf.read_text() != text:
        conf.write_text(text)
        conf.chmod(0o600)
    current = os.environ.get("SOFTHSM2_CONF")
    if current and Path(current) != conf and _module_loaded():
        raise HsmError(f"SOFTHSM2_CONF is already {current}; one token directory per process")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return conf


def certificate_path(token_dir: str | Path, key_label: str) -> Path:
    """Where the key's self-signed certificate is stored, next to the token."""
    return Path(token_dir) / f"{key_label}.pem"


def ensure_token(module: str, token_dir: str | Path, label: str, pin: str, so_pin: str, key_label: str) -> str:
    """The PEM of the signing certificate, after creating whatever of token, key and certificate is missing."""
    softhsm_config(token_dir)
    _init_token(module, label, pin, so_pin)
    session = TokenSession(module, label, pin)
    try:
        if session.find(key_label, PyKCS11.CKO_PRIVATE_KEY) is None:
            _generate_key_pair(session, key_label)
        return _ensure_certificate(session, certificate_path(token_dir, key_label), key_label)
    finally:
        session.close()


def _module_loaded() -> bool:
    return bool(PyKCS11.PyKCS11Lib._loaded_libs)


def _init_token(module: str, label: str, pin: str, so_pin: str) -> None:
    """C_InitToken on a free slot and set the user PIN, unless a token with ``label`` exists."""
    lib = load_library(module)
    if find_slot(lib, label) is not None:
        return
    free = [s for s in lib.getSlotList(tokenPresent=True) if not _initialized(lib, s)]
    if not free:
        raise HsmError(f"no free slot to initialise the token {label!r} in {module!r}")
    lib.initToken(free[0], so_pin, label.ljust(32))  # blank-padded, as PKCS#11 wants
    session = lib.openSession(free[0], PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    try:
        session.login(so_pin, user_type=PyKCS11.CKU_SO)
        session.initPin(pin)
        session.logout()
    finally:
        session.closeSession()


def _initialized(lib: PyKCS11.PyKCS11Lib, slot: int) -> bool:
    return bool(lib.getTokenInfo(slot).flags & PyKCS11.CKF_TOKEN_INITIALIZED)


def _generate_key_pair(session: TokenSession, key_label: str) -> None:
    key_id = hashlib.sha256(key_label.encode()).digest()[:16]
    common = [(PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_LABEL, key_label), (PyKCS11.CKA_ID, key_id)]
    public = [
        (PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY),
        (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC),
        (PyKCS11.CKA_EC_PARAMS, P256_PARAMS),
        (PyKCS11.CKA_VERIFY, True),
        *common,
    ]
    private = [
        (PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY),
        (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC),
        (PyKCS11.CKA_PRIVATE, True),
        (PyKCS11.CKA_SENSITIVE, True),
        (PyKCS11.CKA_EXTRACTABLE, False),
        (PyKCS11.CKA_SIGN, True),
        *common,
    ]
    session.session.generateKeyPair(public, private, mecha=PyKCS11.MechanismECGENERATEKEYPAIR)


def _ensure_certificate(session: TokenSession, path: Path, key_label: str) -> str:
    public_key = session.public_key(key_label)
    if path.exists():
        existing = path.read_text()
        stored = x509.load_pem_x509_certificate(existing.encode()).public_key()
        if stored == public_key:
            return existing
    text = _self_signed_on_token(session, key_label, public_key)
    path.write_text(text)
    return text


def _self_signed_on_token(session: TokenSession, key_label: str, public_key: ec.EllipticCurvePublicKey) -> str:
    """Build the TBS with a throwaway key, sign it on the token, reassemble the certificate."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, CERTIFICATE_SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "全国测绘资质管理信息系统"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    usage = x509.KeyUsage(True, True, False, False, False, True, False, False, False)
    draft = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    )
    tbs = draft.tbs_certificate_bytes
    signature = session.sign_digest(key_label, hashlib.sha256(tbs).digest())
    certificate = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs),
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature_value": signature,
        }
    )
    der = certificate.dump()
    x509.load_der_x509_certificate(der).verify_directly_issued_by(x509.load_der_x509_certificate(der))
    return pem.armor("CERTIFICATE", der).decode()


def public_key_pem(public_key: ec.EllipticCurvePublicKey) -> str:
    """The SubjectPublicKeyInfo PEM (for logs and tests)."""
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def main(argv: list[str]) -> int:
    """``python -m services.registry.certificate_pdf.token MODULE TOKEN_DIR LABEL KEY_LABEL``.

    The PINs come from ``HSM_PIN`` and ``HSM_SO_PIN`` (never the command line); prints the certificate
    path. Runs the provisioning in its own process, so the caller keeps no PKCS#11 module loaded.
    """
    module, token_dir, label, key_label = argv
    ensure_token(module, token_dir, label, os.environ["HSM_PIN"], os.environ["HSM_SO_PIN"], key_label)
    sys.stdout.write(f"{certificate_path(token_dir, key_label)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
