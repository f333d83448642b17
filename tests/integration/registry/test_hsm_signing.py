"""The 电子证书 signature on SoftHSM2: made on the token with a key that never leaves it, a PAdES
signature pyhanko and poppler accept, and any change to the signed file — one byte, an appended
update, a signature by another key — is refused without an exception."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import PyKCS11
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from services.registry.certificate_pdf import (
    CategoryLine,
    CertificateSigner,
    CertificateView,
    SignerConfig,
    ensure_token,
    render_certificate,
)
from services.registry.certificate_pdf.hsm import TokenSession
from services.registry.certificate_pdf.token import (
    CERTIFICATE_SUBJECT,
    ROOT_LABEL,
    certificate_path,
    issue,
    platform_name,
)
from tests.fixtures.hsm import HsmToken

VIEW = CertificateView(
    number="乙测资字32000007",
    certificate_type="乙级资质证书",
    level="乙级",
    unit_name="南京方圆地理信息有限公司",
    credit_code="91320100MA1XYZ123Q",
    registered_address="江苏省南京市鼓楼区汉中路1号",
    legal_representative="王芳",
    categories=(CategoryLine("工程测量", "乙级", ("控制测量", "地形测量")),),
    authority_name="江苏省自然资源厅",
    issued_on=dt.date(2026, 5, 20),
    valid_until=dt.date(2031, 5, 19),
    version=2,
    reissued=False,
    verify_url="https://chxz.example.cn/verify?number=乙测资字32000007",
)


@pytest.fixture(scope="module")
def signed(certificate_signer: CertificateSigner) -> bytes:
    return certificate_signer.sign(render_certificate(VIEW))


@pytest.fixture
def token(hsm_token: HsmToken) -> Iterator[TokenSession]:
    session = TokenSession(hsm_token.module, hsm_token.label, hsm_token.pin)
    yield session
    session.close()


def test_the_private_key_is_sensitive_and_never_extractable(hsm_token: HsmToken, token: TokenSession) -> None:
    key = token.private_key(hsm_token.key_label)
    flags = [
        PyKCS11.CKA_SENSITIVE,
        PyKCS11.CKA_EXTRACTABLE,
        PyKCS11.CKA_ALWAYS_SENSITIVE,
        PyKCS11.CKA_NEVER_EXTRACTABLE,
    ]
    assert token.attributes(key, flags) == [True, False, True, True]
    assert token.attributes(key, [PyKCS11.CKA_VALUE]) == [None]  # PyKCS11 answers None, the value stays inside


def test_the_signature_is_made_on_the_token(
    hsm_token: HsmToken, token: TokenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    digests: list[bytes] = []
    sign_digest = TokenSession.sign_digest

    def spy(self: TokenSession, key_label: str, digest: bytes) -> bytes:
        digests.append(digest)
        return sign_digest(self, key_label, digest)

    monkeypatch.setattr(TokenSession, "sign_digest", spy)
    signer = CertificateSigner(hsm_token.signer_config())
    try:
        pdf = signer.sign(render_certificate(VIEW))
    finally:
        signer.close()
    signer_info = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_info
    signed_attributes = signer_info["signed_attrs"].untag().dump()
    assert digests == [hashlib.sha256(signed_attributes).digest()]
    public_key = token.public_key(hsm_token.key_label)
    public_key.verify(signer_info["signature"].native, signed_attributes, ec.ECDSA(hashes.SHA256()))


def test_a_signed_certificate_validates(certificate_signer: CertificateSigner, signed: bytes, tmp_path: Path) -> None:
    verdict = certificate_signer.verify(signed)
    assert (verdict.signature_valid, verdict.intact, verdict.number, verdict.version) == (True, True, VIEW.number, 2)
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in report and "Total document signed" in report


@pytest.mark.parametrize("where", [0.3, 0.6, "byte_range", "after_signature"])
def test_a_one_byte_change_is_not_valid(certificate_signer: CertificateSigner, signed: bytes, where: object) -> None:
    data = bytearray(signed)
    if where == "byte_range":
        index = signed.index(b"/ByteRange") + len(b"/ByteRange [") + 2
    elif where == "after_signature":
        index = len(signed) - 40
    else:
        index = int(len(signed) * float(str(where)))
    data[index] ^= 0x01
    verdict = certificate_signer.verify(bytes(data))
    assert not verdict.signature_valid, verdict


def test_an_update_appended_after_signing_is_not_valid(certificate_signer: CertificateSigner, signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"]
    info["/Subject"] = pdf_string("乙级资质证书 乙测资字32000007 第9版")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    verdict = certificate_signer.verify(out.getvalue())
    assert verdict.intact and not verdict.signature_valid


def test_a_certificate_signed_by_another_key_is_not_trusted(
    hsm_token: HsmToken, certificate_signer: CertificateSigner
) -> None:
    chain = ensure_token(hsm_token.module, hsm_token.directory, "test-impostor", "111111", "222222", "impostor-key")
    impostor = CertificateSigner(
        SignerConfig(hsm_token.module, "test-impostor", "111111", "impostor-key", chain.signing_pem, chain.root_pem)
    )
    try:
        forged = impostor.sign(render_certificate(VIEW))
    finally:
        impostor.close()
    verdict = certificate_signer.verify(forged)
    assert verdict.intact and not verdict.signature_valid
    assert verdict.reason == "签名证书不是本平台的证书签章证书"


def test_unsigned_and_unreadable_files_are_not_valid(certificate_signer: CertificateSigner) -> None:
    unsigned = certificate_signer.verify(render_certificate(VIEW))
    assert not unsigned.signature_valid and unsigned.number == VIEW.number
    for junk in (b"", b"%PDF-1.4\n%%EOF", b"not a pdf at all"):
        verdict = certificate_signer.verify(junk)
        assert (verdict.signature_valid, verdict.number) == (False, None)


async def test_sign_async_runs_off_the_event_loop(certificate_signer: CertificateSigner) -> None:
    pdf = await certificate_signer.sign_async(render_certificate(VIEW))
    assert (await certificate_signer.verify_async(pdf)).signature_valid


def test_ensure_token_is_idempotent_and_the_certificate_is_signed_by_the_token(
    hsm_token: HsmToken, token: TokenSession
) -> None:
    again = ensure_token(
        hsm_token.module, hsm_token.directory, hsm_token.label, hsm_token.pin, "ignored", hsm_token.key_label
    )
    assert again.signing_pem == hsm_token.certificate_pem == hsm_token.certificate_path.read_text()
    assert again.root_pem == hsm_token.root_pem == hsm_token.root_path.read_text()
    for label in (hsm_token.key_label, ROOT_LABEL):
        keys = token.session.findObjects([(PyKCS11.CKA_LABEL, label)])
        assert len(keys) == 2  # one key pair each, not two
    certificate = x509.load_pem_x509_certificate(again.signing_pem.encode())
    assert certificate.public_key() == token.public_key(hsm_token.key_label)
    root = x509.load_pem_x509_certificate(again.root_pem.encode())
    assert root.public_key() == token.public_key(ROOT_LABEL)
    certificate.verify_directly_issued_by(root)  # its signature verifies under the root key on the token


def test_the_signing_certificate_is_issued_by_a_root_kept_on_the_token(
    hsm_token: HsmToken, token: TokenSession
) -> None:
    root = x509.load_pem_x509_certificate(hsm_token.root_pem.encode())
    signing = x509.load_pem_x509_certificate(hsm_token.certificate_pem.encode())
    root.verify_directly_issued_by(root)
    assert root.subject == root.issuer == signing.issuer
    assert root.subject.rfc4514_string() == "C=CN,O=全国测绘资质管理信息系统,CN=全国测绘资质管理信息系统 平台根证书"
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    root_usage = root.extensions.get_extension_for_class(x509.KeyUsage).value
    assert root_usage.key_cert_sign and root_usage.crl_sign and not root_usage.digital_signature
    assert not signing.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = signing.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert signing.not_valid_after_utc <= root.not_valid_after_utc
    root_key = token.private_key(ROOT_LABEL)  # never leaves the token
    flags = [PyKCS11.CKA_SENSITIVE, PyKCS11.CKA_EXTRACTABLE, PyKCS11.CKA_NEVER_EXTRACTABLE, PyKCS11.CKA_VALUE]
    assert token.attributes(root_key, flags) == [True, False, True, None]


async def test_the_signature_embeds_the_chain_and_validates_with_the_root_as_only_anchor(
    hsm_token: HsmToken, signed: bytes
) -> None:
    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    carried = {choice.chosen.dump() for choice in embedded.signed_data["certificates"]}
    root_der = x509.load_pem_x509_certificate(hsm_token.root_pem.encode()).public_bytes(Encoding.DER)
    signing_der = x509.load_pem_x509_certificate(hsm_token.certificate_pem.encode()).public_bytes(Encoding.DER)
    assert carried == {root_der, signing_der}
    anchor = asn1_x509.Certificate.load(root_der)
    context = ValidationContext(trust_roots=[anchor], allow_fetching=False)
    status = await async_validate_pdf_signature(embedded, context)
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True, True, True, True)


def test_an_older_token_gets_a_root_and_its_self_signed_copies_stay_valid(hsm_token: HsmToken) -> None:
    """A token of before the root (its signing certificate self-signed): the next start adds the
    root and issues the signing certificate by it; copies signed under the old certificate still
    verify, a self-signed certificate of another key does not."""
    label, key = "test-older", "older-key"
    first = ensure_token(hsm_token.module, hsm_token.directory, label, "333333", "444444", key)
    session = TokenSession(hsm_token.module, label, "333333")
    try:
        old = issue(
            session,
            issuer_label=key,
            issuer=None,
            subject=platform_name(CERTIFICATE_SUBJECT),
            public_key=session.public_key(key),
            ca=False,
            validity=dt.timedelta(days=30),
        )
    finally:
        session.close()
    old_pem = old.public_bytes(Encoding.PEM).decode()
    certificate_path(hsm_token.directory, label, key).write_text(old_pem)
    upgraded = ensure_token(hsm_token.module, hsm_token.directory, label, "333333", "444444", key)
    assert upgraded.root_pem == first.root_pem and upgraded.signing_pem != old_pem
    x509.load_pem_x509_certificate(upgraded.signing_pem.encode()).verify_directly_issued_by(
        x509.load_pem_x509_certificate(upgraded.root_pem.encode())
    )
    signer_of = lambda pem: CertificateSigner(  # noqa: E731
        SignerConfig(hsm_token.module, label, "333333", key, pem, upgraded.root_pem)
    )
    before, now = signer_of(old_pem), signer_of(upgraded.signing_pem)
    try:
        old_copy = before.sign(render_certificate(VIEW))
        assert now.verify(old_copy).signature_valid
        assert now.verify(now.sign(render_certificate(VIEW))).signature_valid
    finally:
        before.close()
        now.close()
