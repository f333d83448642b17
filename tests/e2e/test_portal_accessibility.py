"""Every portal page, in each state a visitor can reach, meets GB/T 37668 (信息无障碍) in Chromium.

A new page joins the check by adding a ``PortalPage`` to ``PAGES``: an id, how a visitor reaches
the state and the ``<title>`` that state carries. Tests of a page's own behaviour call
``assert_accessible(page)`` from ``tests.fixtures.accessibility`` after each state they reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from playwright.sync_api import Page, Route, expect

from deploy.local.stack import Stack
from tests.builders.identity import a_registration
from tests.builders.portal import (
    REGISTER_LABELS,
    a_jpeg,
    a_pdf,
    log_in,
    open_materials,
    register,
    signed_in_unit,
    upload_material,
)
from tests.e2e.test_admin_pages import admin_password, open_admin_accounts
from tests.fixtures.accessibility import assert_accessible, assert_focus_visible
from tests.fixtures.platform import RUNNING

pytestmark = pytest.mark.browser

SITE_TITLE = "全国测绘资质管理信息系统"
PORTAL_TEMPLATES = Path(__file__).resolve().parents[2] / "gateway" / "portal" / "templates"
FIX_MARKED_FIELDS = "请按提示修改后重新提交"
WRONG_CREDENTIALS = "用户名或密码错误"


@dataclass(frozen=True)
class PortalPage:
    """A page in one state: ``reach`` takes a fresh tab there (and waits until it shows)."""

    id: str
    reach: Callable[[Page, str], None]
    title: str


def _login(page: Page, portal: str) -> None:
    page.goto(f"{portal}login")


def _unavailable(page: Page, portal: str) -> None:
    """The 系统繁忙 page (the platform's database must stay up: the page is served as rendered)."""
    templates = Environment(loader=FileSystemLoader(PORTAL_TEMPLATES), autoescape=True)
    html = templates.get_template("unavailable.html").render(site_title=SITE_TITLE, session=None, csrf_token="")
    page.route(f"{portal}login", lambda route: route.fulfill(status=503, content_type="text/html", body=html))
    page.goto(f"{portal}login")


def _login_after_registering(page: Page, portal: str) -> None:
    register(page, portal, a_registration())
    expect(page.get_by_role("status")).to_have_text("注册成功，请登录")


def _login_with_a_wrong_password(page: Page, portal: str) -> None:
    form = a_registration()
    register(page, portal, form)
    log_in(page, portal, form["username"], "Wrong-pass-123")
    expect(page.get_by_role("alert")).to_contain_text(WRONG_CREDENTIALS)


def _register(page: Page, portal: str) -> None:
    page.goto(f"{portal}register")


def _register_with_errors(page: Page, portal: str) -> None:
    """Only 用户名 and 单位名称 filled in: the other five fields are refused."""
    form = a_registration()
    page.goto(f"{portal}register")
    page.get_by_label("用户名", exact=True).fill(form["username"])
    page.get_by_label("单位名称", exact=True).fill(form["unit_name"])
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("alert")).to_contain_text(FIX_MARKED_FIELDS)


def _work_list(page: Page, portal: str) -> None:
    form = a_registration()
    register(page, portal, form)
    log_in(page, portal, form["username"], form["password"])
    expect(page.get_by_role("heading", name="测绘资质办理", level=1)).to_be_visible()


def _materials(page: Page, portal: str) -> None:
    signed_in_unit(page, portal)
    open_materials(page)
    expect(page.get_by_role("cell", name="暂无材料")).to_be_visible()


def _materials_with_a_document_and_a_refusal(page: Page, portal: str) -> None:
    """A document listed with its thumbnail; the next upload refused next to the file field."""
    _materials(page, portal)
    upload_material(page, "营业执照", "营业执照.jpg", a_jpeg())
    expect(page.get_by_role("img", name="营业执照.jpg 的缩略图")).to_be_visible()
    upload_material(page, "法人证明", "法人证明.jpg", a_pdf())
    expect(page.get_by_role("alert").filter(has_text="文件内容与扩展名不符")).to_be_visible()


def _materials_confirming_a_deletion(page: Page, portal: str) -> None:
    _materials(page, portal)
    upload_material(page, "其它", "作废.jpg", a_jpeg())
    page.get_by_role("row").filter(has_text="作废.jpg").get_by_role("button", name=re.compile("^删除")).click()
    expect(page.get_by_role("dialog", name="删除材料")).to_be_visible()


def _roster(title: str) -> Callable[[Page, str], None]:
    """A 单位信息 page of a new unit, reached from the header, once its (empty) list has loaded."""

    def reach(page: Page, portal: str) -> None:
        signed_in_unit(page, portal)
        page.get_by_role("navigation", name="主导航").get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        expect(page.get_by_role("cell", name=re.compile("^暂无"))).to_be_visible()

    return reach


def _roster_adding_with_refusals(page: Page, portal: str) -> None:
    """The 添加 dialog of 技术人员信息, saved empty: every required field refused next to it."""
    _roster("技术人员信息")(page, portal)
    page.get_by_role("button", name="添加", exact=True).click()
    dialog = page.get_by_role("dialog", name="添加人员")
    dialog.get_by_role("button", name="保存", exact=True).click()
    expect(dialog.get_by_label("姓名", exact=True)).to_have_attribute("aria-invalid", "true")


def _roster_fulfilment(page: Page, portal: str) -> None:
    """专业技术人员满足情况查看 with the requirement table of 工程测量乙级."""
    _roster("技术人员信息")(page, portal)
    page.get_by_role("button", name="专业技术人员满足情况查看").click()
    dialog = page.get_by_role("dialog", name="专业技术人员满足情况查看")
    dialog.get_by_role("checkbox", name="工程测量乙级").check()
    dialog.get_by_role("button", name="查看", exact=True).click()
    expect(dialog.get_by_role("table", name=re.compile("^工程测量 乙级"))).to_be_visible()


def _work_creating(page: Page, portal: str) -> None:
    signed_in_unit(page, portal)
    expect(page.get_by_role("cell", name=re.compile("暂无工作"))).to_be_visible()  # the list has loaded
    page.get_by_role("button", name="新建工作").click()
    expect(page.get_by_role("dialog", name="新建工作")).to_be_visible()


def _review_queue(page: Page, portal: str) -> None:
    log_in(page, portal, "admin", admin_password(RUNNING[portal]))
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="待办").click()
    expect(page.get_by_role("heading", name="待办", level=1)).to_be_visible()


def _admin_calendar(page: Page, portal: str) -> None:
    """系统管理 → 放假安排 of a seeded year, picked with the year picker."""
    open_admin_accounts(page, portal)
    page.get_by_role("navigation", name="系统管理").get_by_role("link", name="放假安排").click()
    page.get_by_label("年份").select_option(label="2026年")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", name="2026年工作日历")).to_be_visible()


def _verify(page: Page, portal: str) -> None:
    page.goto(f"{portal}verify")
    expect(page.get_by_role("heading", name="证书查验", level=1)).to_be_visible()


def _verify_unknown_number(page: Page, portal: str) -> None:
    page.goto(f"{portal}verify?number=甲测资字11999999")
    expect(page.locator(".lookup-result")).to_have_text("未查询到该证书")


def _certificates(page: Page, portal: str) -> None:
    signed_in_unit(page, portal)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的资质证书").click()
    expect(page.get_by_role("cell", name="暂无资质证书")).to_be_visible()


PAGES = [
    PortalPage("login", _login, f"登录 - {SITE_TITLE}"),
    PortalPage("unavailable", _unavailable, f"系统繁忙 - {SITE_TITLE}"),
    PortalPage("login-after-registering", _login_after_registering, f"登录 - {SITE_TITLE}"),
    PortalPage("login-wrong-password", _login_with_a_wrong_password, f"错误：登录 - {SITE_TITLE}"),
    PortalPage("register", _register, f"注册 - {SITE_TITLE}"),
    PortalPage("register-with-errors", _register_with_errors, f"错误：注册 - {SITE_TITLE}"),
    PortalPage("work-list", _work_list, f"测绘资质办理 - {SITE_TITLE}"),
    PortalPage("materials", _materials, f"单位材料 - {SITE_TITLE}"),
    PortalPage(
        "materials-with-a-document-and-a-refusal", _materials_with_a_document_and_a_refusal, f"单位材料 - {SITE_TITLE}"
    ),
    PortalPage("materials-confirming-a-deletion", _materials_confirming_a_deletion, f"单位材料 - {SITE_TITLE}"),
    PortalPage("roster-persons", _roster("技术人员信息"), f"技术人员信息 - {SITE_TITLE}"),
    PortalPage("roster-equipment", _roster("技术装备信息"), f"技术装备信息 - {SITE_TITLE}"),
    PortalPage("roster-projects", _roster("测绘业绩信息"), f"测绘业绩信息 - {SITE_TITLE}"),
    PortalPage("roster-adding-with-refusals", _roster_adding_with_refusals, f"技术人员信息 - {SITE_TITLE}"),
    PortalPage("roster-fulfilment", _roster_fulfilment, f"技术人员信息 - {SITE_TITLE}"),
    PortalPage("admin-accounts", open_admin_accounts, f"系统管理 - {SITE_TITLE}"),
    PortalPage("admin-calendar", _admin_calendar, f"放假安排 - {SITE_TITLE}"),
    PortalPage("work-creating", _work_creating, f"测绘资质办理 - {SITE_TITLE}"),
    PortalPage("review-queue", _review_queue, f"待办 - {SITE_TITLE}"),
    PortalPage("verify", _verify, f"证书查验 - {SITE_TITLE}"),
    PortalPage("verify-unknown-number", _verify_unknown_number, f"证书查验 - {SITE_TITLE}"),
    PortalPage("certificates", _certificates, f"我的资质证书 - {SITE_TITLE}"),
]


@pytest.fixture
def portal(platform: Stack, page: Page) -> Iterator[str]:
    """The portal's address; the tab may load nothing from elsewhere (axe included: it is injected)."""
    portal_url = platform.config.portal_url
    elsewhere: list[str] = []

    def same_origin_only(route: Route) -> None:
        if route.request.url.startswith(portal_url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", same_origin_only)
    yield portal_url
    assert not elsewhere, f"the page asked for other origins: {elsewhere}"


@pytest.mark.parametrize("spec", PAGES, ids=[spec.id for spec in PAGES])
def test_the_page_has_no_serious_accessibility_violation(portal: str, page: Page, spec: PortalPage) -> None:
    spec.reach(page, portal)
    expect(page).to_have_title(spec.title)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    for landmark in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(landmark)).to_have_count(1)
    assert_accessible(page)
    assert_focus_visible(page)


def test_registration_errors_are_announced_and_tied_to_their_fields(portal: str, page: Page) -> None:
    _register_with_errors(page, portal)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(FIX_MARKED_FIELDS)
    expect(alert).to_be_focused()  # read out first, before the form
    expect(alert.get_by_role("link")).to_have_count(len(REGISTER_LABELS) - 2)
    for name, label in REGISTER_LABELS.items():
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("required", "")
        if name in ("username", "unit_name"):
            expect(field).not_to_have_attribute("aria-invalid", "true")
            continue
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(f"请填写{label}")
        message = page.locator(f"#{field.get_attribute('aria-describedby')}")
        expect(message).to_have_text(f"请填写{label}")
        summary_link = alert.get_by_role("link", name=label, exact=True)
        expect(summary_link).to_have_attribute("href", f"#{field.get_attribute('id')}")


def test_a_wrong_password_is_announced_before_the_form(portal: str, page: Page) -> None:
    _login_with_a_wrong_password(page, portal)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(re.compile(WRONG_CREDENTIALS))
    expect(alert).to_be_focused()
    for label in ("用户名", "密码"):
        expect(page.get_by_label(label, exact=True)).to_have_attribute("required", "")


def test_field_hints_are_read_with_their_fields(portal: str, page: Page) -> None:
    _register(page, portal)
    expect(page.get_by_label("用户名", exact=True)).to_have_accessible_description(re.compile("以字母开头"))
    expect(page.get_by_label("统一社会信用代码", exact=True)).to_have_accessible_description(re.compile("18 位"))
    expect(page.get_by_label("密码", exact=True)).not_to_have_attribute("aria-describedby", re.compile("."))
