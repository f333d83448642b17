"""Steps of the whole applications flow in Chromium (tests/e2e/test_application_flow.py), by the
labels a user reads: 信息填报 pages, 提交, the authority's review screen, and the unit's roster
loaded in bulk through the page's own session (the 单位信息 pages are tested on their own in
test_roster_pages.py; adding persons one by one in the UI is not the point here)."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from deploy.local.stack import Stack
from services.staffing.rules import id_check_char
from tests.builders.portal import a_jpeg, a_pdf, log_in

__all__ = [
    "PASSWORD",
    "act",
    "add_equipment",
    "add_persons",
    "an_authority",
    "as_authority",
    "as_unit",
    "create_work",
    "open_review",
    "records_row",
    "registration_submitted",
    "save_page",
    "submit",
    "switch_to",
    "upload_on_page",
]


PASSWORD = "Authority-pass-1"


def an_authority(platform: Stack, tmp_path: Path) -> str:
    """A 北京 authority holding 受理, 审查 and 审批, created with identity's CLI; its username."""
    username = f"bj_{uuid.uuid4().hex[:8]}"
    secret = tmp_path / "password"
    secret.write_text(f"{PASSWORD}\n")
    office = ("--org-name", "北京市规划和自然资源委员会", "--jurisdiction", "110000", "--roles", "受理,审查,审批")
    login = ("--username", username, "--password-file", str(secret))
    command = [sys.executable, "-m", "services.identity", "accounts", "add-authority", *login, *office]
    env = {**os.environ, "DATABASE_URL": platform.database_url()}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return username


def as_unit(page: Page, portal: str, unit: dict[str, str]) -> None:
    page.get_by_role("button", name="退出").click()
    log_in(page, portal, unit["username"], unit["password"])
    expect(page.get_by_role("heading", name="测绘资质办理", level=1)).to_be_visible()


def as_authority(page: Page, portal: str, username: str) -> None:
    page.get_by_role("button", name="退出").click()
    log_in(page, portal, username, PASSWORD)
    expect(page.get_by_role("heading", name="待办", level=1)).to_be_visible()


def switch_to(page: Page, title: str) -> None:
    """A page of 信息填报, from the switcher (the one shown is left as it is)."""
    button = page.get_by_role("navigation", name="填报页面").get_by_role("button", name=title)
    if button.get_attribute("aria-current") != "page":
        button.click()
    expect(button).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()


def save_page(page: Page, title: str) -> None:
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"已保存：{title}")).to_be_visible()
    switcher = page.get_by_role("navigation", name="填报页面").get_by_role("button", name=title)
    expect(switcher).to_contain_text("已保存")


def upload_on_page(page: Page, label: str, purpose: str, filename: str) -> None:
    """One click on 上传 in the page's row for ``purpose`` (the button names the upload's label)
    opens the file picker; the file chosen (a PDF, or a JPEG by its name) is uploaded at once."""
    uploads = page.locator(".page-uploads")
    jpeg = filename.endswith(".jpg")
    with page.expect_file_chooser() as chooser:
        uploads.get_by_role("button", name=f"上传{label}", exact=True).click()
    chooser.value.set_files(
        {
            "name": filename,
            "mimeType": "image/jpeg" if jpeg else "application/pdf",
            "buffer": a_jpeg() if jpeg else a_pdf(),
        }
    )
    expect(uploads.locator(f'tr[data-slot="{purpose}"]')).to_contain_text(filename)


def create_work(page: Page, application_type: str, certificate_type: str) -> None:
    """新建工作 (once the 工作列表 has loaded) → 工作类型 × 证书类型 → 确定, then 办理 on its row."""
    expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)
    page.get_by_role("button", name="新建工作").click()
    dialog = page.get_by_role("dialog", name="新建工作")
    expect(dialog.get_by_role("option", name=application_type, exact=True)).to_be_enabled()
    dialog.get_by_label("工作类型", exact=True).select_option(application_type)
    dialog.get_by_label("证书类型", exact=True).select_option(certificate_type)
    dialog.get_by_role("button", name="确定").click()
    expect(page.get_by_role("status").filter(has_text=f"已新建工作：{application_type}")).to_be_visible()
    page.get_by_role("link", name=f"办理：{application_type}（{certificate_type}）").click()
    expect(page.get_by_role("heading", name="信息填报", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="填报页面").locator('[aria-current="page"]')).to_have_count(1)


def submit(page: Page) -> None:
    """提交 and 确定提交."""
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("dialog", name="提交申请").get_by_role("button", name="确定提交").click()


def open_review(page: Page, portal: str, unit_name: str, credit_code: str, application_type: str) -> None:
    """待办 → search by 统一社会信用代码 → 办理 → 领取."""
    page.goto(f"{portal}review")
    queue = page.get_by_role("search", name="筛选待办")
    queue.get_by_label("单位名称或统一社会信用代码").fill(credit_code)
    queue.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=f"办理：{unit_name} {application_type}").click()
    expect(page.get_by_role("heading", name="审查", level=1)).to_be_visible()
    act(page, "领取")


def act(page: Page, action: str, *, opinion: str = "", reasons: tuple[str, ...] = ()) -> None:
    """One action of the review screen, with its 意见 and 理由 (one per line)."""
    form = page.locator(".action-form")
    if opinion:
        form.get_by_label("意见", exact=True).fill(opinion)
    if reasons:
        form.get_by_label("理由", exact=False).fill("\n".join(reasons))
    form.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"已办理：{action}")).to_be_visible()


def _csrf(page: Page) -> dict[str, str]:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    return {"X-CSRF-Token": token}


def _post(page: Page, path: str, **kwargs: Any) -> dict[str, Any]:
    return _call(page, "POST", path, **kwargs)


def _call(page: Page, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """``method`` on ``path`` of the page's portal, with the page's session and CSRF token."""
    portal = page.url.split("/", 3)[:3]
    headers = {**_csrf(page), **kwargs.pop("headers", {})}
    response = page.request.fetch("/".join(portal) + path, method=method, headers=headers, **kwargs)
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    body: dict[str, Any] = response.json()
    return body


def _document(page: Page, purpose: str) -> dict[str, str]:
    """A document of ``purpose`` uploaded to 单位材料; its attachment."""
    file = {"name": f"{purpose}.jpg", "mimeType": "image/jpeg", "buffer": a_jpeg()}
    stored = _post(page, "/api/documents/documents", multipart={"purpose": purpose, "file": file})
    return {"purpose": purpose, "document_id": stored["id"]}


def _id_number() -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=random.randrange(10_000))
    first17 = f"110101{born:%Y%m%d}{random.randrange(1000):03d}"
    return first17 + id_check_char(first17)


def add_persons(page: Page, people: list[tuple[str, str, str | None]]) -> None:
    """Complete persons (name, 人员类别, 职称等级) on the unit's roster, their documents attached."""
    shared = [_document(page, purpose) for purpose in ("职称证书", "社保缴纳证明", "身份证")]
    for name, category, title_level in people:
        person = {"name": name, "id_number": _id_number(), "category": category, "documents": shared}
        if title_level:
            person["title_level"] = title_level
        assert _post(page, "/api/staffing/persons", data=person)["complete"], name


def add_equipment(page: Page, types: list[str]) -> None:
    """Complete instruments of ``types``: bought last year, calibrated until next year."""
    shared = [_document(page, purpose) for purpose in ("检定证书", "购置发票")]
    today = dt.date.today()
    for n, kind in enumerate(types):
        instrument = {
            "type": kind,
            "brand": "测绘仪器厂",
            "model": f"M-{n}",
            "serial": f"SN{random.randrange(10**9):09d}",
            "purchased_on": (today - dt.timedelta(days=365)).isoformat(),
            "calibration_valid_until": (today + dt.timedelta(days=365)).isoformat(),
            "documents": shared,
        }
        assert _post(page, "/api/staffing/equipment", data=instrument)["complete"], kind


def records_row(page: Page, action: str) -> Locator:
    """The 审批记录 row of ``action``, the latest first."""
    records = page.get_by_role("region", name="审批记录")
    return records.get_by_role("row").filter(has=page.get_by_role("cell", name=action, exact=True)).last


def registration_submitted(page: Page, unit_name: str) -> str:
    """新单位注册 filed and submitted through the page's session (its pages' forms are tested in
    test_application_flow.py), naming the unit ``unit_name`` (a registration may correct it); its id."""
    works = "/api/applications/works"
    work = _post(page, works, data={"application_type": "新单位注册", "certificate_type": "乙级资质证书"})
    person = {"name": "李法人", "id_number": "110101198001010011", "position": "院长", "mobile": "13800138001"}
    unit_info = {
        "unit_name": unit_name,
        "registered_address": {"province": "110000", "detail": "海淀区测绘路1号"},
        "office_address": "北京市海淀区测绘路1号",
        "legal_representative": "李法人",
        "nature": "企业",
        "founded_on": "2010-05-06",
        "contact": "张三",
        "contact_phone": "010-12345678",
        "intended_certificate": "乙级资质证书",
    }
    licence = _document(page, "营业执照")["document_id"]
    pages = {
        "unit_info": {"values": unit_info, "documents": {"营业执照": [licence]}},
        "leaders": {"values": {"legal_person": [person], "qualification_leaders": [person]}},
    }
    version = work["version"]
    for key, body in pages.items():
        _call(page, "PUT", f"{works}/{work['id']}/pages/{key}", data={**body, "version": version})
        version = _call(page, "GET", f"{works}/{work['id']}")["version"]
    submission = {"expected_version": version}
    _call(
        page, "POST", f"{works}/{work['id']}/submission", data=submission, headers={"Idempotency-Key": uuid.uuid4().hex}
    )
    return str(work["id"])
