"""The portal in headless Chromium against the whole platform running as processes (manual 3.1, 3.3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from deploy.local.stack import Stack
from tests.builders.identity import a_registration
from tests.builders.portal import log_in, register

pytestmark = pytest.mark.browser


def test_a_new_unit_registers_logs_in_sees_an_empty_work_list_and_logs_out(platform: Stack, page: Page) -> None:
    portal = platform.config.portal_url
    form = a_registration()
    register(page, portal, form)
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_text("注册成功，请登录")).to_be_visible()

    log_in(page, portal, form["username"], form["password"])
    expect(page.get_by_role("heading", name="测绘资质办理")).to_be_visible()
    expect(page.get_by_text(form["unit_name"]).first).to_be_visible()
    expect(page.get_by_role("cell", name="暂无工作")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # fits the manual's 1366×768

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(portal)
    expect(page).to_have_url(re.compile(r"/login"))  # the session is gone


def test_a_wrong_password_shows_the_error(platform: Stack, page: Page) -> None:
    portal = platform.config.portal_url
    form = a_registration()
    register(page, portal, form)
    log_in(page, portal, form["username"], "Wrong-pass-123")
    expect(page.get_by_role("alert")).to_have_text(re.compile("用户名或密码错误"))
    expect(page).to_have_url(re.compile(r"/login"))


def test_registering_a_duplicate_unit_name_shows_the_manuals_advice(platform: Stack, page: Page) -> None:
    portal = platform.config.portal_url
    first = a_registration()
    register(page, portal, first)
    expect(page.get_by_text("注册成功，请登录")).to_be_visible()
    register(page, portal, a_registration(unit_name=first["unit_name"]))
    advice = page.get_by_text(re.compile("单位内部询问"))
    expect(advice).to_be_visible()
    expect(page.get_by_text(re.compile("多加几个字符"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/register"))
