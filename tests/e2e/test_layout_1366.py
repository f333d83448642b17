"""No word broken at 1366×768 (issue 18, defect 11), in one pass over the pages of the flow, by the
labels a user reads: 登录, 注册, then a unit's 测绘资质办理 (工作列表), 信息填报 (every page of its
switcher, 未填写 and 已保存), the 单位信息 pages, 单位材料, 我的资质证书 and 证书查验; a 北京
authority's 待办 and review screen with its 审批记录, and 资质证书登记; the administrator's 系统管理
pages (新建主管部门账户 included) and 待办. Every page is measured by ``assert_words_unbroken``."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest
from playwright.sync_api import Page, expect

from deploy.local.stack import Stack
from services.kernel.db import database_url_for
from tests.builders.identity import a_registration
from tests.builders.portal import log_in, open_materials, register
from tests.e2e.flow_steps import an_authority, as_authority, as_unit, create_work, open_review, records_row, switch_to
from tests.e2e.test_admin_pages import admin_password, open_admin_accounts
from tests.e2e.test_application_flow import decide, file_registration
from tests.fixtures.browser import run_beside_the_browser
from tests.fixtures.layout import assert_words_unbroken

pytestmark = pytest.mark.browser


def _menu(page: Page, link: str, heading: str) -> None:
    """A page of the main navigation, once its list has loaded."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)


def _every_fill_page(page: Page) -> None:
    """Each page of 信息填报's switcher, measured as it shows."""
    switcher = page.get_by_role("navigation", name="填报页面")
    expect(switcher.get_by_role("button").first).to_be_visible()
    titles = [text.split()[0] for text in switcher.get_by_role("button").all_inner_texts()]
    assert titles, "the switcher lists no page"
    for title in titles:
        switch_to(page, title)
        assert_words_unbroken(page)


def _unit_pages(page: Page, portal: str) -> None:
    for title in ("技术人员信息", "技术装备信息", "测绘业绩信息"):
        _menu(page, title, title)
        assert_words_unbroken(page)
    open_materials(page)
    assert_words_unbroken(page)
    _menu(page, "我的资质证书", "我的资质证书")
    assert_words_unbroken(page)
    page.goto(f"{portal}verify")
    expect(page.get_by_role("heading", name="证书查验", level=1)).to_be_visible()
    assert_words_unbroken(page)


def _work_list(page: Page, state: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="测绘资质办理").click()
    expect(page.get_by_role("row").filter(has_text="新单位注册")).to_contain_text(state)
    assert_words_unbroken(page)


async def _counted_into_2027(platform: Stack, unit_name: str) -> None:
    """The unit's submitted work as if filed on 2026-12-28: its 受理 deadline runs into 2027, whose
    放假安排 nobody loads on this platform, so its row says so under 期限 (defect 17)."""
    conn = await asyncpg.connect(database_url_for(platform.database_url(), "qual_applications"))
    try:
        await conn.execute(
            "UPDATE applications SET submitted_on = '2026-12-28', accept_due = '2027-01-04'"
            " WHERE unit_name = $1 AND state = 'submitted'",
            unit_name,
        )
    finally:
        await conn.close()


def _review(page: Page, portal: str, platform: Stack, unit: dict[str, str]) -> None:
    """The authority's 待办 with the unit's 新单位注册 (已提交, 未领取, the 2027 note under its 期限),
    its review screen and 审批记录."""
    run_beside_the_browser(_counted_into_2027(platform, unit["unit_name"]))
    page.goto(f"{portal}review")
    row = page.get_by_role("row").filter(has_text=unit["unit_name"])
    expect(row).to_contain_text("未领取")
    expect(row.get_by_role("cell").filter(has_text="2027-01-04")).to_contain_text("2027年放假安排尚未载入")
    assert_words_unbroken(page)
    open_review(page, portal, unit["unit_name"], unit["credit_code"], "新单位注册")
    expect(records_row(page, "领取")).to_be_visible()
    assert_words_unbroken(page)
    decide(page, "材料齐全，同意注册")
    expect(records_row(page, "批准")).to_be_visible()
    assert_words_unbroken(page)
    _menu(page, "资质证书登记", "资质证书登记")
    assert_words_unbroken(page)


def _administrator(page: Page, portal: str, platform: Stack) -> None:
    page.get_by_role("button", name="退出").click()
    open_admin_accounts(page, portal)
    expect(page.get_by_role("heading", name="新建主管部门账户")).to_be_visible()
    assert_words_unbroken(page)
    page.get_by_role("navigation", name="系统管理").get_by_role("link", name="放假安排").click()
    expect(page.get_by_role("heading", name=re.compile("年工作日历$"))).to_be_visible()
    assert_words_unbroken(page)
    page.get_by_role("button", name="退出").click()
    log_in(page, portal, "admin", admin_password(platform))
    _menu(page, "待办", "待办")
    assert_words_unbroken(page)


def test_no_word_is_broken_on_any_page_at_1366(platform: Stack, page: Page, tmp_path: Path) -> None:
    portal = platform.config.portal_url
    page.goto(f"{portal}login")
    assert_words_unbroken(page)
    page.goto(f"{portal}register")
    assert_words_unbroken(page)

    unit = a_registration()
    unit["unit_name"] = f"中国测绘科学研究院北京勘测设计{unit['unit_name']}"  # as long as real units' names are
    register(page, portal, unit)
    log_in(page, portal, unit["username"], unit["password"])
    expect(page.get_by_role("cell", name=re.compile("暂无工作"))).to_be_visible()
    assert_words_unbroken(page)
    _unit_pages(page, portal)
    page.goto(portal)
    file_registration(page)
    _every_fill_page(page)
    _work_list(page, "已提交")

    authority = an_authority(platform, tmp_path)
    as_authority(page, portal, authority)
    _review(page, portal, platform, unit)

    as_unit(page, portal, unit)
    create_work(page, "资质申请", "乙级资质证书")  # a fresh work: every page 未填写
    expect(page.get_by_role("navigation", name="填报页面")).to_contain_text("未填写")
    _every_fill_page(page)
    _administrator(page, portal, platform)
