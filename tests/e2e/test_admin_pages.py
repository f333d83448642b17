"""系统管理 in Chromium, by the labels a user reads: the administrator creates an authority account
on the page (roles as checkboxes, jurisdiction from the list), and that account logs in."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from deploy.local.admin import PASSWORD_FILE, ensure_admin
from deploy.local.stack import Stack
from tests.builders.identity import PASSWORD
from tests.builders.portal import log_in
from tests.fixtures.accessibility import assert_accessible
from tests.fixtures.infra import random_ref
from tests.fixtures.platform import RUNNING

__all__ = ["admin_password", "open_admin_accounts"]


def admin_password(stack: Stack) -> str:
    """The administrator's password of ``stack`` (ensured here too, should the launcher not have)."""
    env = {"DATABASE_URL": stack.database_url(), "SERVICE_NAME": "identity", "LOG_JSON": "false"}
    ensure_admin(stack.config.data_dir, env)
    return (stack.config.data_dir / PASSWORD_FILE).read_text().strip()


def open_admin_accounts(page: Page, portal: str) -> None:
    """Log in as ``admin`` and open 系统管理 from the main navigation."""
    log_in(page, portal, "admin", admin_password(RUNNING[portal]))
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="系统管理").click()
    expect(page.get_by_role("heading", name="系统管理", level=1)).to_be_visible()


def test_an_account_created_on_the_page_logs_in(platform: Stack, page: Page) -> None:
    portal = platform.config.portal_url
    open_admin_accounts(page, portal)
    username = random_ref("bj")
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("机关名称", exact=True).fill("北京市规划和自然资源委员会")
    page.get_by_label("管辖区域", exact=True).select_option(label="北京市（110000）")
    page.get_by_role("group", name="角色").get_by_label("受理").check()
    page.get_by_role("group", name="角色").get_by_label("审批").check()
    page.get_by_role("button", name="创建账户").click()

    expect(page.get_by_role("status")).to_have_text("账户已创建")
    row = page.get_by_role("row").filter(has_text=username)
    expect(row).to_contain_text("北京市规划和自然资源委员会")
    expect(row).to_contain_text("受理、审批")
    expect(row).to_contain_text("正常")
    assert_accessible(page)

    page.get_by_role("button", name="退出").click()
    log_in(page, portal, username, PASSWORD)
    expect(page.locator(".user-account")).to_have_text(username)
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="系统管理")).to_have_count(0)
