"""电子证书 end to end on the SoftHSM2 token: an approval over NATS → the version's PDF signed on the
token (by the job, or on the first download) → downloaded by its unit, validated, and verified at
POST /public/verifications as the register's current version; after 基本信息变更 the old copy is
still validly signed but no longer current; after 补领证书 the previous copy is void."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import pytest
from cryptography import x509

from deploy.local.components import NatsServer
from services.kernel import BaseSettings
from services.kernel.nats import NatsLink
from services.registry.app import create_app
from services.registry.certificate_pdf import CertificateSigner
from services.registry.settings import RegistrySettings
from tests.fixtures.apps import client_of, started
from tests.fixtures.hsm import HsmToken, hsm_settings
from tests.fixtures.waiting import eventually

from .conftest import Headers, Registry, approval

Sign = Callable[..., Headers]


async def registry_with_hsm(
    settings_for: Callable[..., BaseSettings], nats: NatsServer, hsm_token: HsmToken, job_seconds: float
) -> AsyncIterator[Registry]:
    settings = settings_for(
        RegistrySettings,
        service="registry",
        nats_url=nats.url,
        **hsm_settings(hsm_token),
        registry_pdf_job_seconds=job_seconds,
    )
    assert isinstance(settings, RegistrySettings)
    app = create_app(settings)
    link = NatsLink(nats.url, name="registry-pdf-test")
    await link.connect()
    try:
        async with started(app), client_of(app) as client:
            yield Registry(app=app, client=client, settings=settings, link=link)
    finally:
        await link.close()


@pytest.fixture
async def with_job(
    settings_for: Callable[..., BaseSettings], registry_nats: NatsServer, hsm_token: HsmToken
) -> AsyncIterator[Registry]:
    """The PDF job runs every 0.2 s."""
    async for registry in registry_with_hsm(settings_for, registry_nats, hsm_token, 0.2):
        yield registry


@pytest.fixture
async def on_demand(
    settings_for: Callable[..., BaseSettings], registry_nats: NatsServer, hsm_token: HsmToken
) -> AsyncIterator[Registry]:
    """The PDF job runs once at start (nothing to do) and not again within the test."""
    async for registry in registry_with_hsm(settings_for, registry_nats, hsm_token, 3600.0):
        yield registry


async def download(registry: Registry, number: str, headers: Headers) -> bytes:
    answer = await registry.client.get(f"/certificates/{number}/pdf", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    return answer.content


async def verification(registry: Registry, pdf: bytes, sign: Sign) -> dict[str, Any]:
    answer = await registry.client.post(
        "/public/verifications",
        files={"file": ("certificate.pdf", pdf, "application/pdf")},
        headers=sign(account_id="gateway", role="system"),
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def documents_made(registry: Registry, number: str, count: int) -> list[dict[str, Any]]:
    """Wait until the first ``count`` versions of ``number`` have their signed PDF (the job)."""

    async def made() -> bool:
        versions = await registry.versions(number)
        return len(versions) >= count and all(v["pdf"] is not None for v in versions[:count])

    await eventually(made)
    return await registry.versions(number)


async def test_the_job_signs_each_version_and_the_register_tells_current_from_old_copies(
    with_job: Registry, certificate_signer: CertificateSigner, sign: Sign
) -> None:
    registry, unit = with_job, sign(role="unit", unit_id="u-pdf")
    issue = approval(unit_id="u-pdf")
    await registry.deliver(issue)
    number = (await registry.certificate("u-pdf"))["number"]
    [first] = await documents_made(registry, number, 1)
    original = await download(registry, number, unit)
    assert original == bytes(first["pdf"])
    verdict = await certificate_signer.verify_async(original)
    assert (verdict.signature_valid, verdict.number, verdict.version) == (True, number, 1)
    checked = await verification(registry, original, sign)
    assert (checked["signature_valid"], checked["matches_register"], checked["current_version"]) == (True, True, 1)
    assert (checked["certificate"]["number"], checked["certificate"]["status"]) == (number, "有效")
    assert (checked["outcome"], checked["headline"]) == ("有效", "该电子证书签名有效，与登记的现行版本一致")

    await registry.deliver(
        approval("基本信息变更", unit_id="u-pdf", number=number, changes={"unit_name": "北京新测绘有限公司"})
    )
    await documents_made(registry, number, 2)
    old = await verification(registry, original, sign)
    assert (old["signature_valid"], old["matches_register"], old["version"], old["current_version"]) == (
        True,
        False,
        1,
        2,
    )
    renamed = await download(registry, number, unit)
    assert (await certificate_signer.verify_async(renamed)).version == 2
    assert (await verification(registry, renamed, sign))["matches_register"] is True

    await registry.deliver(approval("补领证书", unit_id="u-pdf", number=number, reason="遗失"))
    versions = await documents_made(registry, number, 3)
    assert [(v["kind"], v["void"]) for v in versions] == [("发证", True), ("换发", True), ("补发", False)]
    copy = await download(registry, number, unit)
    assert copy == bytes(versions[2]["pdf"]) and copy != renamed
    voided = await verification(registry, renamed, sign)
    assert (voided["signature_valid"], voided["matches_register"], voided["current_version"]) == (True, False, 3)
    assert voided["outcome"] == "非现行版本" and "不能作为有效证书使用" in voided["headline"]
    assert (await verification(registry, copy, sign))["matches_register"] is True


async def test_a_download_before_the_job_makes_and_keeps_the_document(
    on_demand: Registry, certificate_signer: CertificateSigner, sign: Sign
) -> None:
    registry = on_demand
    issue = approval(unit_id="u-now", jurisdiction="320000")
    await registry.deliver(issue)
    number = (await registry.certificate("u-now"))["number"]
    assert (await registry.versions(number))[0]["pdf"] is None
    authority = sign(role="authority", jurisdiction="320000", roles=("approval",))
    made = await download(registry, number, authority)
    [stored] = await registry.versions(number)
    assert bytes(stored["pdf"]) == made and stored["pdf_sha256"] is not None
    gateway = registry.settings.service_urls["gateway"]
    assert stored["verify_url"] == f"{gateway}/verify?number={quote(number)}"  # the URL it was issued with
    detail = await registry.client.get(f"/register/{quote(number)}", headers=authority)
    assert detail.json()["versions"][0]["verify_url"] == stored["verify_url"]
    assert await download(registry, number, sign(role="unit", unit_id="u-now")) == made  # the same, not re-signed
    assert (await certificate_signer.verify_async(made)).signature_valid


@pytest.mark.parametrize("where", ["middle", "end"])
async def test_a_one_byte_change_is_reported_invalid_and_not_matching(
    on_demand: Registry, sign: Sign, where: str
) -> None:
    registry = on_demand
    await registry.deliver(approval(unit_id="u-byte"))
    number = (await registry.certificate("u-byte"))["number"]
    pdf = bytearray(await download(registry, number, sign(role="unit", unit_id="u-byte")))
    at = len(pdf) // 2 if where == "middle" else len(pdf) - 40
    pdf[at] ^= 0x01
    checked = await verification(registry, bytes(pdf), sign)
    assert (checked["signature_valid"], checked["matches_register"]) == (False, False)
    assert checked["reason"]
    assert (checked["outcome"], checked["certificate"]) == ("签名无效", None)  # no register status, green or not
    assert checked["headline"] == "该电子证书的电子签名无效，不能作为有效证书使用"


async def test_a_genuine_copy_of_a_cancelled_certificate_is_refused_in_the_headline(
    on_demand: Registry, sign: Sign
) -> None:
    registry = on_demand
    issue = approval(unit_id="u-gone")
    await registry.deliver(issue)
    number = (await registry.certificate("u-gone"))["number"]
    pdf = await download(registry, number, sign(role="unit", unit_id="u-gone"))
    await registry.deliver(
        approval("资质注销", unit_id="u-gone", number=number, approved_on=dt.date(2025, 9, 9), reason="单位申请注销")
    )
    checked = await verification(registry, pdf, sign)
    assert (checked["signature_valid"], checked["matches_register"]) == (True, True)  # genuine and current…
    assert checked["outcome"] == "已注销"  # …but the register has cancelled it
    assert checked["headline"] == "该证书已于2025年9月9日注销，该电子证书不再有效"
    assert checked["certificate"]["status"] == "已注销"


async def test_a_genuine_copy_past_its_validity_is_refused_as_expired(on_demand: Registry, sign: Sign) -> None:
    registry = on_demand
    await registry.deliver(approval(unit_id="u-old", approved_on=dt.date(2019, 3, 1)))
    number = (await registry.certificate("u-old"))["number"]
    pdf = await download(registry, number, sign(role="unit", unit_id="u-old"))
    checked = await verification(registry, pdf, sign)
    assert (checked["signature_valid"], checked["outcome"]) == (True, "已过期")
    assert checked["headline"] == "该证书有效期至2024年2月29日，已过期，该电子证书不再有效"


async def test_an_unsigned_pdf_is_not_valid_and_matches_nothing(on_demand: Registry, sign: Sign) -> None:
    from services.registry.certificate_pdf import render_certificate
    from services.registry.handlers.documents import view_of

    registry = on_demand
    await registry.deliver(approval(unit_id="u-plain"))
    number = (await registry.certificate("u-plain"))["number"]
    [row] = await registry.fetch(
        """SELECT c.number, c.certificate_type, c.level, c.credit_code, c.valid_until, v.version, v.kind,
                  v.categories, v.particulars, v.issued_on
           FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id WHERE c.number = $1""",
        number,
    )
    unsigned = render_certificate(view_of(row, verify_url="https://example.cn/verify"))
    checked = await verification(registry, unsigned, sign)
    assert (checked["signature_valid"], checked["matches_register"], checked["number"]) == (False, False, number)
    assert checked["reason"] == "文件中没有电子签章"


async def test_the_chain_is_published_with_the_fingerprints_of_the_files_served(
    on_demand: Registry, hsm_token: HsmToken, sign: Sign
) -> None:
    visitor = sign(account_id="gateway", role="system")
    answer = await on_demand.client.get("/public/trust", headers=visitor)
    assert answer.status_code == 200, answer.text
    trust = answer.json()
    files = {}
    for which in ("root", "signing"):
        assert trust[which]["download"] == f"/public/trust/{which}.cer"
        served = await on_demand.client.get(trust[which]["download"], headers=visitor)
        assert served.status_code == 200 and served.headers["content-type"] == "application/pkix-cert"
        assert "attachment" in served.headers["content-disposition"]
        fingerprint = ":".join(f"{byte:02X}" for byte in hashlib.sha256(served.content).digest())
        assert trust[which]["sha256"] == fingerprint
        files[which] = x509.load_der_x509_certificate(served.content)
    assert files["root"] == x509.load_pem_x509_certificate(hsm_token.root_pem.encode())  # the token's root
    files["signing"].verify_directly_issued_by(files["root"])  # the root issued the signing certificate
    assert trust["root"]["subject"] == trust["root"]["issuer"] == trust["signing"]["issuer"]
    assert trust["root"]["subject"] == "全国测绘资质管理信息系统 平台根证书"
    assert trust["signing"]["subject"] == "全国测绘资质管理信息系统 电子证书签章"
