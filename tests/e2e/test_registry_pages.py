"""证书登记 pages in headless Chromium against the whole platform as processes. A certificate is
issued the way the applications service causes it: an ApplicationApproved published on the
platform's NATS, consumed by the registry, its signed 电子证书 made by the registry's job.

* /verify, without login: a number shows the public view as 有效 (also from a QR link, on load); an
  unknown number the calm "未查询到该证书"; the certificate's own PDF is valid and current, one byte
  changed makes its signature invalid.
* 我的资质证书: the unit's certificates with the download link and the expiry warning.
* 资质证书登记: an authority finds the certificate by unit name, opens its version history; the CSV
  link carries the same search.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

import asyncpg
import msgspec
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from playwright.sync_api import Page, expect
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from contracts.applications.events import ApplicationApproved, ApprovedLevel, UnitParticulars
from contracts.subjects import subject_for
from deploy.local.stack import Stack
from services.kernel.db import database_url_for
from services.kernel.nats import NatsLink
from tests.builders.identity import a_registration
from tests.builders.portal import log_in, signed_in_unit
from tests.fixtures.accessibility import assert_accessible, assert_focus_visible
from tests.fixtures.qr import qr_codes_of_pdf
from tests.fixtures.waiting import eventually_sync

pytestmark = pytest.mark.browser

T = TypeVar("T")
NOT_FOUND = "未查询到该证书"
PASSWORD = "Authority-pass-1"


def _run(coroutine: Callable[[], Awaitable[T]]) -> T:
    """Run ``coroutine`` in a thread of its own: Playwright's sync API holds this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine()).result()  # type: ignore[arg-type]


def an_approval(
    *, unit_id: str, unit_name: str, credit_code: str, approved_on: dt.date, certificate_type: str = "甲级资质证书"
) -> ApplicationApproved:
    """资质申请 approved by 北京市规划和自然资源委员会, as the applications service publishes it."""
    application_id = str(uuid.uuid4())
    level = "乙级" if certificate_type.startswith("乙") else "甲级"
    return ApplicationApproved(
        aggregate_id=application_id,
        application_id=application_id,
        unit_id=unit_id,
        revision=0,
        application_type="资质申请",
        certificate_type=certificate_type,
        jurisdiction="110000",
        approved_on=approved_on,
        levels=[ApprovedLevel(category="工程测量", level=level, sub_items=["控制测量"])],
        unit=UnitParticulars(
            unit_name=unit_name,
            credit_code=credit_code,
            registered_address="北京市海淀区中关村大街1号",
            legal_representative="张三",
        ),
        authority_name="北京市规划和自然资源委员会",
    )


async def _publish(platform: Stack, event: ApplicationApproved) -> None:
    link = NatsLink(platform.nats_url(), name="registry-pages-test")
    await link.connect()
    try:
        headers = {"Nats-Msg-Id": str(event.event_id)}
        await link.js.publish(subject_for(ApplicationApproved), msgspec.json.encode(event), headers=headers)
    finally:
        await link.close()


def cancel(platform: Stack, issued: ApplicationApproved, number: str) -> None:
    """资质注销 of ``number`` approved (as applications publishes it); returns once the register says 已注销."""
    application_id = str(uuid.uuid4())
    event = msgspec.structs.replace(
        issued,
        event_id=uuid.uuid4(),
        application_id=application_id,
        aggregate_id=application_id,
        application_type="资质注销",
        certificate_number=number,
        reason="单位申请注销",
    )
    _run(lambda: _publish(platform, event))
    eventually_sync(
        lambda: (
            fetch_value(platform, "qual_registry", "SELECT status FROM certificates WHERE number = $1", number)
            == "已注销"
        )
    )


def issue(platform: Stack, event: ApplicationApproved) -> str:
    """Publish ``event``; the certificate's number once the registry has issued it and signed its PDF."""

    async def go() -> str:
        await _publish(platform, event)
        conn = await asyncpg.connect(database_url_for(platform.database_url(), "qual_registry"))
        try:
            for _ in range(300):
                row = await conn.fetchrow(
                    "SELECT c.number, v.pdf IS NOT NULL AS ready FROM certificates c JOIN certificate_versions v"
                    " ON v.certificate_id = c.id AND v.version = c.current_version"
                    " WHERE c.unit_id = $1 AND c.certificate_type = $2",
                    event.unit_id,
                    event.certificate_type,
                )
                if row is not None and row["ready"]:
                    return str(row["number"])
                await asyncio.sleep(0.1)
        finally:
            await conn.close()
        raise AssertionError(f"no signed certificate for {event.unit_id} after 30 s")

    return _run(go)


def fetch_value(platform: Stack, database: str, query: str, *args: Any) -> Any:
    """One value from a service's own database."""

    async def go() -> Any:
        conn = await asyncpg.connect(database_url_for(platform.database_url(), database))
        try:
            return await conn.fetchval(query, *args)
        finally:
            await conn.close()

    return _run(go)


CURRENT_PDF = """SELECT v.pdf FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id
AND v.version = c.current_version WHERE c.number = $1"""


def an_authority(platform: Stack, tmp_path: Path) -> str:
    """A 北京 authority account created with identity's CLI; its username."""
    username = f"bj_{uuid.uuid4().hex[:8]}"
    secret = tmp_path / "password"
    secret.write_text(f"{PASSWORD}\n")
    env = {**os.environ, "DATABASE_URL": platform.database_url()}
    office = ("--org-name", "北京市规划和自然资源委员会", "--jurisdiction", "110000", "--roles", "受理,审查,审批")
    login = ("--username", username, "--password-file", str(secret))
    command = [sys.executable, "-m", "services.identity", "accounts", "add-authority", *login, *office]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return username


@pytest.fixture
def certified(platform: Stack) -> dict[str, Any]:
    """A certificate of a unit without an account, issued today; its event and number."""
    form = a_registration()
    event = an_approval(
        unit_id=str(uuid.uuid4()),
        unit_name=form["unit_name"],
        credit_code=form["credit_code"],
        approved_on=dt.date.today(),
    )
    return {"event": event, "number": issue(platform, event)}


def test_verify_shows_the_certificate_and_checks_its_pdf(
    platform: Stack, page: Page, certified: dict[str, Any]
) -> None:
    portal, number, event = platform.config.portal_url, certified["number"], certified["event"]
    page.goto(f"{portal}verify?number={number}")  # the QR code's link: queried on load
    lookup = page.get_by_role("search", name="按证书编号查询")
    result = page.locator(".lookup-result")
    expect(result.get_by_text(event.unit.unit_name, exact=True)).to_be_visible()
    expect(result.get_by_text("有效", exact=True)).to_be_visible()
    expect(result.get_by_text("工程测量 甲级（控制测量）", exact=True)).to_be_visible()
    expect(result).not_to_contain_text("张三")  # nothing personal
    expect(result).not_to_contain_text(event.unit.credit_code)
    assert_accessible(page)
    assert_focus_visible(page)

    lookup.get_by_label("证书编号", exact=True).fill("甲测资字11999999")
    lookup.get_by_role("button", name="查询").click()
    expect(result).to_have_text(NOT_FOUND)
    assert page.url.endswith(f"verify?number={quote('甲测资字11999999')}")
    lookup.get_by_label("证书编号", exact=True).fill("abc")
    lookup.get_by_role("button", name="查询").click()
    expect(result).to_have_text(NOT_FOUND)
    assert_accessible(page)

    pdf = bytes(fetch_value(platform, "qual_registry", CURRENT_PDF, number))
    check = page.locator(".check-form")
    verdict = page.locator(".check-result")
    check.get_by_label("电子证书PDF文件", exact=True).set_input_files(
        {"name": f"{number}.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    check.get_by_role("button", name="核验").click()
    expect(verdict.get_by_text("该电子证书签名有效，与登记的现行版本一致", exact=True)).to_be_visible()
    expect(verdict.get_by_text(number, exact=True)).to_be_visible()
    assert_accessible(page)

    middle = len(pdf) // 2
    tampered = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :]
    check.get_by_label("电子证书PDF文件", exact=True).set_input_files(
        {"name": "改过的.pdf", "mimeType": "application/pdf", "buffer": tampered}
    )
    check.get_by_role("button", name="核验").click()
    headline = verdict.get_by_text("该电子证书的电子签名无效，不能作为有效证书使用", exact=True)
    expect(headline).to_be_visible()
    expect(headline).to_have_class(re.compile(r"\bis-fail\b"))
    expect(verdict.get_by_text("有效", exact=True)).to_have_count(0)  # no green 状态 under a red verdict
    expect(verdict.locator(".tag-valid, .is-pass")).to_have_count(0)
    assert_accessible(page)


def test_the_qr_code_of_an_issued_certificate_opens_its_verification_through_the_gateway(
    platform: Stack, page: Page, certified: dict[str, Any]
) -> None:
    number, event = certified["number"], certified["event"]
    pdf = bytes(fetch_value(platform, "qual_registry", CURRENT_PDF, number))
    [url] = qr_codes_of_pdf(pdf)  # page 1 rendered and read as a phone reads it
    assert url == f"{platform.config.portal_url}verify?number={quote(number)}"
    recorded = fetch_value(
        platform,
        "qual_registry",
        "SELECT v.verify_url FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id"
        " AND v.version = c.current_version WHERE c.number = $1",
        number,
    )
    assert recorded == url  # the version records the address it was issued with
    page.goto(url)
    expect(page.get_by_role("heading", name="证书查验", level=1)).to_be_visible()
    result = page.locator(".lookup-result")
    expect(result.get_by_text(event.unit.unit_name, exact=True)).to_be_visible()
    expect(result.get_by_text(number, exact=True)).to_be_visible()


def test_a_genuine_pdf_of_a_cancelled_certificate_is_refused_in_the_headline(
    platform: Stack, page: Page, certified: dict[str, Any]
) -> None:
    number, event = certified["number"], certified["event"]
    pdf = bytes(fetch_value(platform, "qual_registry", CURRENT_PDF, number))
    cancel(platform, event, number)
    page.goto(f"{platform.config.portal_url}verify")
    check = page.get_by_role("form", name="核验电子证书")
    check.get_by_label("电子证书PDF文件", exact=True).set_input_files(
        {"name": f"{number}.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    check.get_by_role("button", name="核验").click()
    verdict = page.locator(".check-result")
    headline = verdict.get_by_text(re.compile(r"^该证书已于\d{4}年\d{1,2}月\d{1,2}日注销，该电子证书不再有效$"))
    expect(headline).to_be_visible()
    expect(headline).to_have_class(re.compile(r"\bis-fail\b"))
    expect(verdict).not_to_contain_text("与登记的现行版本一致")
    expect(verdict.locator(".is-pass")).to_have_count(0)
    expect(verdict.get_by_text("已注销", exact=True)).to_be_visible()  # the register's 状态 says the same
    assert_accessible(page)


def test_verify_publishes_the_platform_root_that_a_pdf_reader_can_trust(
    platform: Stack, page: Page, certified: dict[str, Any]
) -> None:
    page.goto(f"{platform.config.portal_url}verify")
    trust = page.get_by_role("region", name="电子签章证书")
    expect(trust.get_by_role("heading", name="如何在PDF阅读器中信任平台根证书")).to_be_visible()
    expect(trust).to_contain_text("将此证书用作可信的根")
    root_part = trust.locator(".trust-certificate").filter(has=page.get_by_role("heading", name="平台根证书"))
    expect(root_part).to_contain_text("全国测绘资质管理信息系统 平台根证书")
    shown = root_part.locator("dt:has-text('SHA-256指纹') + dd").inner_text().strip()
    with page.expect_download() as download:
        root_part.get_by_role("link", name="下载平台根证书").click()
    served = Path(download.value.path()).read_bytes()
    assert shown == ":".join(f"{byte:02X}" for byte in hashlib.sha256(served).digest())  # the page tells the file's
    root = x509.load_der_x509_certificate(served)
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    pdf = bytes(fetch_value(platform, "qual_registry", CURRENT_PDF, certified["number"]))
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    x509.load_der_x509_certificate(embedded.signer_cert.dump()).verify_directly_issued_by(root)  # its issuer
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(served)], allow_fetching=False)
    status = _run(lambda: async_validate_pdf_signature(embedded, context))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)  # a reader trusting it says valid
    assert_accessible(page)


def test_a_unit_sees_its_certificates_with_the_expiry_warning(platform: Stack, page: Page) -> None:
    portal = platform.config.portal_url
    form = signed_in_unit(page, portal)
    unit_id = str(
        fetch_value(platform, "qual_identity", "SELECT unit_id FROM accounts WHERE username = $1", form["username"])
    )
    fresh = issue(
        platform,
        an_approval(
            unit_id=unit_id, unit_name=form["unit_name"], credit_code=form["credit_code"], approved_on=dt.date.today()
        ),
    )
    soon = dt.date.today() - dt.timedelta(days=5 * 365 - 10)  # its 5 years end within the 30-day lead time
    ending = issue(
        platform,
        an_approval(
            unit_id=unit_id,
            unit_name=form["unit_name"],
            credit_code=form["credit_code"],
            approved_on=soon,
            certificate_type="乙级资质证书",
        ),
    )

    page.goto(portal + "/")  # the 工作列表 warns of the certificate ending within the lead time
    work_warning = page.locator(".work-warnings")
    expect(work_warning).to_contain_text(f"您单位的乙级资质证书（证书编号 {ending}）将于")
    expect(work_warning).to_have_attribute("role", "status")
    expect(work_warning).not_to_contain_text(fresh)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的资质证书").click()
    expect(page.get_by_role("heading", name="我的资质证书", level=1)).to_be_visible()
    table = page.get_by_role("table", name="资质证书列表")
    expect(table.get_by_role("row")).to_have_count(3)
    fresh_row = table.locator(f'tr[data-number="{fresh}"]')
    expect(fresh_row).to_contain_text("甲级资质证书")
    expect(fresh_row.get_by_text("有效", exact=True)).to_be_visible()
    expect(fresh_row.get_by_text("即将到期")).to_have_count(0)
    link = fresh_row.get_by_role("link", name=f"下载电子证书：{fresh}")
    expect(link).to_have_attribute("href", f"/api/registry/certificates/{quote(fresh)}/pdf")
    expect(table.locator(f'tr[data-number="{ending}"]').get_by_text("即将到期", exact=True)).to_be_visible()
    warning = page.get_by_role("status").filter(has_text="即将到期")
    expect(warning).to_contain_text(f"{ending}（乙级资质证书）有效期至")
    expect(warning).not_to_contain_text(fresh)
    assert_accessible(page)
    assert_focus_visible(page)

    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"


def test_an_authority_searches_the_register_and_opens_a_certificate(
    platform: Stack, page: Page, certified: dict[str, Any], tmp_path: Path
) -> None:
    portal, number, event = platform.config.portal_url, certified["number"], certified["event"]
    username = an_authority(platform, tmp_path)
    log_in(page, portal, username, PASSWORD)
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="资质证书登记").click()
    expect(page.get_by_role("heading", name="资质证书登记", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)

    filters = page.get_by_role("search", name="筛选证书")
    filters.get_by_label("单位名称", exact=True).fill(event.unit.unit_name)
    filters.get_by_label("状态", exact=True).select_option("有效")
    filters.get_by_role("button", name="查询").click()
    table = page.get_by_role("table", name="证书列表")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table.get_by_role("cell", name=event.unit.credit_code, exact=True)).to_be_visible()
    export = page.get_by_role("link", name="导出CSV")
    expect(export).to_have_attribute(
        "href", f"/api/registry/register.csv?unit_name={quote_plus(event.unit.unit_name)}&status={quote('有效')}"
    )
    assert_accessible(page)
    assert_focus_visible(page)

    filters.get_by_label("有效期至（止）", exact=True).fill("2000-01-01")
    filters.get_by_role("button", name="查询").click()
    expect(table.get_by_role("cell", name="没有符合条件的证书")).to_be_visible()
    filters.get_by_label("有效期至（止）", exact=True).fill("")
    filters.get_by_role("button", name="查询").click()

    table.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", name="资质证书详情", level=1)).to_be_visible()
    versions = page.get_by_role("table", name="版本记录")
    expect(versions.get_by_role("row")).to_have_count(2)
    expect(versions.get_by_role("cell", name="现行版本", exact=True)).to_be_visible()
    expect(page.locator(".detail-body")).to_contain_text("张三")  # the register shows the particulars
    expect(page.get_by_role("link", name="下载电子证书")).to_have_attribute(
        "href", f"/api/registry/certificates/{quote(number)}/pdf"
    )
    assert_accessible(page)

    page.goto(f"{portal}registry/甲测资字11999999")
    expect(page.get_by_role("alert")).to_have_text(NOT_FOUND)
    assert_accessible(page)
