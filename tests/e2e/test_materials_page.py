"""单位材料 in headless Chromium against the whole platform as processes (manual §5: scanned paper
as jpg, one file ≤ 2 MB): upload and see the thumbnail, the size and type refusals next to the file
field, 删除 with its confirmation, and 已冻结 once an application holds a document."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Locator, Page, Request, Route, expect

from deploy.local.stack import Stack
from services.kernel.auth import TokenSigner, service_caller
from tests.builders.portal import a_jpeg, a_pdf, open_materials, signed_in_unit, upload_material
from tests.fixtures.accessibility import assert_accessible, assert_focus_visible

pytestmark = pytest.mark.browser

TOO_LARGE = "单个文件大小不能超过2MB"
MISMATCH = "文件内容与扩展名不符"
THREE_MB = 3 * 1024 * 1024


@pytest.fixture
def materials(platform: Stack, page: Page) -> Iterator[str]:
    """A new unit signed in, on 单位材料; the portal's address."""
    portal = platform.config.portal_url
    signed_in_unit(page, portal)
    open_materials(page)
    expect(page).to_have_url(re.compile(r"/materials$"))
    yield portal


def file_field(page: Page) -> Locator:
    return page.get_by_label("文件", exact=True)


def row_of(page: Page, filename: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=filename, exact=True))


def uploads_sent(page: Page) -> list[Request]:
    """Every upload the page sends from now on (POST /api/documents/documents)."""
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if _is_upload(request) else None)
    return sent


def until(page: Page, check: Callable[[], bool], *, within_ms: int = 10_000) -> None:
    """Poll ``check`` while the page keeps handling its events; fail after ``within_ms``."""
    for _ in range(within_ms // 50):
        if check():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"condition not reached within {within_ms} ms")


def _is_upload(request: Request) -> bool:
    return request.method == "POST" and request.url.endswith("/api/documents/documents")


def test_an_anonymous_visitor_is_sent_to_log_in(platform: Stack, page: Page) -> None:
    page.goto(f"{platform.config.portal_url}materials")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_an_uploaded_jpg_shows_its_thumbnail(materials: str, page: Page) -> None:
    held: list[Route] = []
    page.route(
        "**/api/documents/documents",
        lambda route: held.append(route) if _is_upload(route.request) else route.continue_(),
    )
    upload_material(page, "营业执照", "营业执照扫描件.jpg", a_jpeg())

    expect(page.get_by_role("progressbar", name="上传进度")).to_be_visible()
    expect(page.get_by_role("button", name="上传", exact=True)).to_be_disabled()
    until(page, lambda: bool(held))
    held[0].continue_()  # the upload goes on
    expect(page.get_by_role("status")).to_have_text("上传成功：营业执照扫描件.jpg")
    expect(page.get_by_role("progressbar", name="上传进度")).to_be_hidden()
    row = row_of(page, "营业执照扫描件.jpg")
    expect(row.get_by_role("cell", name="营业执照", exact=True)).to_be_visible()
    thumbnail = row.get_by_role("img", name="营业执照扫描件.jpg 的缩略图")
    expect(thumbnail).to_be_visible()
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0  # the preview really came back as an image
    preview = row.get_by_role("link", name=re.compile("^预览"))
    expect(preview).to_have_attribute(
        "href", re.compile(r"^/api/documents/documents/[^/]+/content\?disposition=inline$")
    )
    expect(file_field(page)).to_have_value("")  # ready for the next one
    assert_accessible(page)
    assert_focus_visible(page)


def test_a_3_mb_file_is_refused_by_the_pre_check_and_by_the_gateway(materials: str, page: Page) -> None:
    sent = uploads_sent(page)
    upload_material(page, "申请书", "申请书扫描件.jpg", a_jpeg(size=THREE_MB))

    expect(file_field(page)).to_have_attribute("aria-invalid", "true")
    expect(file_field(page)).to_have_accessible_description(re.compile(TOO_LARGE))
    expect(page.get_by_role("alert").filter(has_text=TOO_LARGE)).to_be_visible()
    assert sent == []  # the pre-check spared the upload

    # Past the pre-check (as a page without it would send it), the gateway refuses it itself.
    page.locator("[data-upload]").evaluate("panel => { panel.dataset.maxBytes = String(1 << 30); }")
    with page.expect_response(lambda response: _is_upload(response.request)) as answered:
        page.get_by_role("button", name="上传", exact=True).click()
    assert answered.value.status == 413
    assert answered.value.json()["code"] == "file_too_large"
    expect(page.get_by_role("alert").filter(has_text=TOO_LARGE)).to_be_visible()
    expect(file_field(page)).to_have_accessible_description(re.compile(TOO_LARGE))
    expect(page.get_by_role("cell", name="暂无材料")).to_be_visible()
    assert_accessible(page)


def test_a_jpg_that_is_really_a_pdf_is_refused_with_the_services_words(materials: str, page: Page) -> None:
    upload_material(page, "法人证明", "法人证明.jpg", a_pdf())

    expect(page.get_by_role("alert").filter(has_text=MISMATCH)).to_be_visible()
    expect(file_field(page)).to_have_attribute("aria-invalid", "true")
    expect(file_field(page)).to_have_accessible_description(re.compile(MISMATCH))
    expect(page.get_by_role("cell", name="暂无材料")).to_be_visible()

    upload_material(page, "法人证明", "法人证明.pdf", a_pdf())  # the same bytes, named right
    expect(page.get_by_role("status")).to_have_text("上传成功：法人证明.pdf")
    expect(file_field(page)).not_to_have_attribute("aria-invalid", "true")
    expect(row_of(page, "法人证明.pdf").get_by_role("img")).to_be_visible()  # the PDF's first page


def test_a_document_is_deleted_only_once_confirmed(materials: str, page: Page) -> None:
    upload_material(page, "其它", "留存.jpg", a_jpeg(color=(10, 120, 40)))
    expect(page.get_by_role("status")).to_have_text("上传成功：留存.jpg")
    upload_material(page, "其它", "作废.jpg", a_jpeg())
    expect(page.get_by_role("status")).to_have_text("上传成功：作废.jpg")

    remove = row_of(page, "作废.jpg").get_by_role("button", name=re.compile("^删除"))
    remove.click()
    dialog = page.get_by_role("dialog", name="删除材料")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确定删除“作废.jpg”吗？")
    assert_accessible(page)
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()
    expect(row_of(page, "作废.jpg")).to_have_count(1)

    remove.click()
    dialog.get_by_role("button", name="确定删除").click()
    expect(page.get_by_role("status")).to_have_text("已删除：作废.jpg")
    expect(row_of(page, "作废.jpg")).to_have_count(0)
    expect(row_of(page, "留存.jpg")).to_have_count(1)
    page.reload()
    expect(row_of(page, "留存.jpg")).to_have_count(1)
    expect(row_of(page, "作废.jpg")).to_have_count(0)


def test_a_frozen_document_is_marked_and_cannot_be_deleted(platform: Stack, materials: str, page: Page) -> None:
    upload_material(page, "申请书", "申请书.jpg", a_jpeg())
    expect(page.get_by_role("status")).to_have_text("上传成功：申请书.jpg")
    document_id = row_of(page, "申请书.jpg").get_attribute("data-document")
    unit_id = page.request.get(f"{materials}api/identity/me").json()["unit_id"]
    freeze(platform, unit_id=unit_id, document_ids=[str(document_id)])

    page.reload()
    row = row_of(page, "申请书.jpg")
    expect(row.get_by_text("已冻结", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^删除"))).to_be_disabled()
    assert_accessible(page)


def freeze(platform: Stack, *, unit_id: str, document_ids: list[str]) -> None:
    """冻结 as the applications service does when a unit submits (a system call to documents)."""
    keys = json.loads((platform.config.data_dir / "keys.json").read_text())
    signer = TokenSigner(keys["applications"][0], issuer="applications", ttl_seconds=60)
    token = signer.sign(service_caller("applications"), audience=("documents",))
    request = {
        "application_id": str(uuid.uuid4()),
        "revision": 1,
        "unit_id": unit_id,
        "jurisdiction": "110000",
        "document_ids": document_ids,
    }
    url = f"http://127.0.0.1:{platform.config.service_ports['documents']}/freezes"
    response = httpx.post(url, json=request, headers={"x-internal-token": token}, timeout=10)
    assert response.status_code == 201, response.text
