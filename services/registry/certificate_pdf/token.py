"""Provisioning of the HSM token (签章密钥): the SoftHSM2 token of the embedded default and tests.

:func:`ensure_token` is idempotent. It initialises the token if missing and keeps two EC P-256 key
pairs on it (sensitive, never extractable), each under its own label:

- the **platform root** (``root_label``): its self-signed X.509 certificate (CA, keyCertSign/cRLSign,
  no path length limit) is the trust anchor a PDF reader imports, published on /verify; other
  certificate authorities of the platform (the USB-Key CA) are issued by it too (:func:`issue`);
- the **电子证书 signing key** (``key_label``): its certificate is issued by the root (not a CA,
  digitalSignature/nonRepudiation), and the PAdES signature embeds both.

Every certificate is signed BY THE TOKEN: it is built with a throwaway key (so its TBS names
ecdsa-with-SHA256), then the TBS bytes are signed on the token with the issuer's key and the
certificate reassembled with asn1crypto. Both certificates are kept as PEM files next to the token;
one that no longer fits (another key, or a signing certificate not issued by the current root, as a
token of before the root had) is made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import PyKCS11
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .hsm import P256_PARAMS, HsmError, TokenSession, find_slot, load_library

__all__ = [
    "CERTIFICATE_SUBJECT",
    "ROOT_LABEL",
    "ROOT_SUBJECT",
    "TrustChain",
    "certificate_path",
    "ensure_token",
    "issue",
    "main",
    "platform_name",
    "softhsm_config",
]

CERTIFICATE_SUBJECT = "全国测绘资质管理信息系统 电子证书签章"
ROOT_SUBJECT = "全国测绘资质管理信息系统 平台根证书"
ROOT_LABEL = "platform-root"
"""The root key pair's label on the token (the signing key has its own, ``HSM_KEY_LABEL``)."""
_ORGANIZATION = "全国测绘资质管理信息系统"
_ROOT_VALIDITY = dt.timedelta(days=20 * 365)
_VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class TrustChain:
    """The PEMs of the signing key's certificate and of the root that issued it."""

    signing_pem: str
    root_pem: str


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


def certificate_path(token_dir: str | Path, token_label: str, key_label: str) -> Path:
    """Where the certificate of the key ``key_label`` on the token ``token_label`` is stored, next to
    the token (tokens may share a directory: each key's file names its token)."""
    return Path(token_dir) / f"{token_label}.{key_label}.pem"


def platform_name(common_name: str) -> x509.Name:
    """The platform's distinguished name with ``common_name`` (CN, O=全国测绘资质管理信息系统, C=CN)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANIZATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )


def ensure_token(
    module: str,
    token_dir: str | Path,
    label: str,
    pin: str,
    so_pin: str,
    key_label: str,
    root_label: str = ROOT_LABEL,
) -> TrustChain:
    """The root's and the signing key's certificates, after creating whatever of token, key pairs and
    certificates is missing."""
    softhsm_config(token_dir)
    _init_token(module, label, pin, so_pin)
    session = TokenSession(module, label, pin)
    try:
        for wanted in (root_label, key_label):
            if session.find(wanted, PyKCS11.CKO_PRIVATE_KEY) is None:
                _generate_key_pair(session, wanted)
        root = _ensure(
            session,
            certificate_path(token_dir, label, root_label),
            root_label,
            issuer_label=root_label,
            issuer=None,
            subject=ROOT_SUBJECT,
            ca=True,
            validity=_ROOT_VALIDITY,
        )
        signing = _ensure(
            session,
            certificate_path(token_dir, label, key_label),
            key_label,
            issuer_label=root_label,
            issuer=root,
            subject=CERTIFICATE_SUBJECT,
            ca=False,
            validity=_VALIDITY,
        )
        return TrustChain(signing_pem=_pem(signing), root_pem=_pem(root))
    finally:
        session.close()


def issue(
    session: TokenSession,
    *,
    issuer_label: str,
    issuer: x509.Certificate | None,
    subject: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    ca: bool,
    validity: dt.timedelta,
) -> x509.Certificate:
    """A certificate for ``public_key`` signed on the token by the key ``issuer_label``.

    ``issuer`` None: self-signed (the root). A CA gets keyCertSign and cRLSign with no path length
    limit (the USB-Key CA will sit under the root); an end entity digitalSignature and nonRepudiation.
    Never valid beyond its issuer.
    """
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    not_after = now + validity
    if issuer is not None:
        not_after = min(not_after, issuer.not_valid_after_utc)
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    issuer_key = public_key if issuer is None else issuer.public_key()
    assert isinstance(issuer_key, ec.EllipticCurvePublicKey)
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False)
    draft = builder.sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    tbs = draft.tbs_certificate_bytes
    signature = session.sign_digest(issuer_label, hashlib.sha256(tbs).digest())
    der = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs),
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature_value": signature,
        }
    ).dump()
    made = x509.load_der_x509_certificate(der)
    made.verify_directly_issued_by(made if issuer is None else issuer)
    return made


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


def _stored(path: Path) -> x509.Certificate | None:
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None


def _ensure(
    session: TokenSession,
    path: Path,
    key_label: str,
    *,
    issuer_label: str,
    issuer: x509.Certificate | None,
    subject: str,
    ca: bool,
    validity: dt.timedelta,
) -> x509.Certificate:
    """The stored certificate of ``key_label`` if it is still that key's and its issuer's (itself
    for the root), else a new one, stored."""
    public_key = session.public_key(key_label)
    found = _stored(path)
    if found is not None and found.public_key() == public_key and _issued_by(found, issuer or found):
        return found
    made = issue(
        session,
        issuer_label=issuer_label,
        issuer=issuer,
        subject=platform_name(subject),
        public_key=public_key,
        ca=ca,
        validity=validity,
    )
    path.write_text(_pem(made))
    return made


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def public_key_pem(public_key: ec.EllipticCurvePublicKey) -> str:
    """The SubjectPublicKeyInfo PEM (for logs and tests)."""
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def main(argv: list[str]) -> int:
    """``python -m services.registry.certificate_pdf.token MODULE TOKEN_DIR LABEL KEY_LABEL ROOT_LABEL``.

    The PINs come from ``HSM_PIN`` and ``HSM_SO_PIN`` (never the command line); prints the signing
    certificate's path, then the root certificate's. Runs the provisioning in its own process, so the
    caller keeps no PKCS#11 module loaded.
    """
    module, token_dir, label, key_label, root_label = argv
    ensure_token(module, token_dir, label, os.environ["HSM_PIN"], os.environ["HSM_SO_PIN"], key_label, root_label)
    for key in (key_label, root_label):
        sys.stdout.write(f"{certificate_path(token_dir, label, key)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
