"""测绘资质办理 and 信息填报 in headless Chromium against the whole platform, by the labels a user
reads: a new unit creates 新单位注册 in the 新建工作 dialog, 提交 refuses it listing the pages still
missing, the unit fills 单位基本信息 (a required field left empty is refused next to it) and
法人及分管资质申报领导信息 (同法定代表人), submits, and then reads the work as 已提交 with its 审批记录;
a 北京 authority finds it in 待办, 领取 and 受理, and the unit sees 已受理."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from deploy.local.stack import Stack
from tests.builders.portal import a_jpeg, log_in, signed_in_unit
from tests.fixtures.accessibility import assert_accessible

pytestmark = pytest.mark.browser

AUTHORITY_PASSWORD = "Authority-pass-1"


def an_authority(platform: Stack, tmp_path: Path) -> str:
    """A 北京 authority account with 受理, 审查 and 审批, created with identity's CLI; its username."""
    username = f"bj_{uuid.uuid4().hex[:8]}"
    secret = tmp_path / "password"
    secret.write_text(f"{AUTHORITY_PASSWORD}\n")
    env = {**os.environ, "DATABASE_URL": platform.database_url()}
    args = ["accounts", "add-authority", "--username", username, "--password-file", str(secret),
            "--jurisdiction", "110000", "--org-name", "北京市规划和自然资源委员会",
            "--roles", "受理,审查,审批"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "services.identity", *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return username


def switch_to(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="填报页面").get_by_role("button", name=title).click()
    expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()


def page_state(page: Page, title: str) -> Locator:
    return page.get_by_role("navigation", name="填报页面").get_by_role("button", name=title)


def create_registration(page: Page) -> None:
    page.get_by_role("button", name="新建工作").click()
    dialog = page.get_by_role("dialog", name="新建工作")
    expect(dialog.get_by_role("option", name="新单位注册", exact=True)).to_be_attached()
    dialog.get_by_label("工作类型", exact=True).select_option("新单位注册")
    dialog.get_by_label("证书类型", exact=True).select_option("乙级资质证书")
    dialog.get_by_role("button", name="确定").click()
    expect(page.get_by_role("status").filter(has_text="已新建工作：新单位注册")).to_be_visible()


def fill_unit_info(page: Page) -> None:
    switch_to(page, "单位基本信息")
    form = page.locator(".page-form")
    form.get_by_label("所在省份").select_option("北京市")
    form.get_by_label("详细地址").fill("海淀区测绘路1号")
    form.get_by_label("办公地址", exact=True).fill("北京市海淀区测绘路1号")
    form.get_by_label("单位性质", exact=True).select_option("企业")
    form.get_by_label("成立日期", exact=True).fill("2010-05-06")
    form.get_by_label("联系人", exact=True).fill("张三")
    # the page shown, chosen again in the switcher, stays as typed (no reload, no leave prompt)
    page.get_by_role("navigation", name="填报页面").get_by_role("button", name="单位基本信息").click()
    expect(page.locator(".leave-confirm")).not_to_be_visible()
    expect(form.get_by_label("联系人", exact=True)).to_have_value("张三")
    form.get_by_label("联系电话", exact=True).fill("010-12345678")
    form.get_by_label("拟申请的资质等级", exact=True).select_option("乙级资质证书")
    page.get_by_role("button", name="保存", exact=True).click()
    legal = form.get_by_label("法定代表人", exact=True)
    expect(legal).to_have_attribute("aria-invalid", "true")
    expect(legal).to_have_accessible_description("请填写法定代表人")
    assert_accessible(page)
    legal.fill("李法人")
    uploads = page.locator(".page-uploads")
    upload = uploads.get_by_role("button", name="上传营业执照或法人证书")
    upload.focus()
    with page.expect_file_chooser() as chooser:  # one key (Space) on the row's 上传 opens the picker
        page.keyboard.press("Space")
    chooser.value.set_files({"name": "营业执照.jpg", "mimeType": "image/jpeg", "buffer": a_jpeg()})
    expect(uploads.locator('tr[data-slot="营业执照"]')).to_contain_text("营业执照.jpg")  # no second 上传
    expect(page.get_by_role("status").filter(has_text="上传成功：营业执照.jpg")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="已保存：单位基本信息")).to_be_visible()
    expect(page_state(page, "单位基本信息")).to_contain_text("已保存")


def fill_leaders(page: Page) -> None:
    switch_to(page, "法人及分管资质申报领导信息")
    legal = page.get_by_role("group", name="法定代表人信息第1人")
    for label, value in {
        "姓名": "李法人",
        "证件号码": "110101198001010011",
        "职务": "院长",
        "手机号码": "13800138001",
    }.items():
        legal.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="同法定代表人：分管资质申报领导信息第1人").click()
    leader = page.get_by_role("group", name="分管资质申报领导信息第1人")
    expect(leader.get_by_label("姓名", exact=True)).to_have_value("李法人")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="已保存：法人及分管资质申报领导信息")).to_be_visible()


def submit(page: Page) -> None:
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("dialog", name="提交申请").get_by_role("button", name="确定提交").click()


def test_a_unit_creates_fills_and_submits_and_an_authority_accepts(platform: Stack, page: Page, tmp_path: Path) -> None:
    portal = platform.config.portal_url
    form = signed_in_unit(page, portal)
    expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)
    create_registration(page)
    row = page.get_by_role("row").filter(has_text="新单位注册")
    expect(row).to_contain_text("填报中")
    assert_accessible(page)
    row.get_by_role("link", name="办理：新单位注册（乙级资质证书）").click()
    expect(page.get_by_role("heading", name="信息填报", level=1)).to_be_visible()

    submit(page)
    problems = page.get_by_role("region", name="提交未通过")
    expect(problems).to_contain_text("单位基本信息")
    expect(problems).to_contain_text("法人及分管资质申报领导信息")
    assert_accessible(page)

    fill_unit_info(page)
    submit(page)  # 法人及分管资质申报领导信息 is still missing
    expect(problems).to_contain_text("法人及分管资质申报领导信息")
    expect(page.get_by_text("已保存：单位基本信息")).to_have_count(0)  # a notice stays with its page
    fill_leaders(page)
    switch_to(page, "单位基本信息")
    expect(page.get_by_text("已保存：法人及分管资质申报领导信息")).to_have_count(0)
    submit(page)
    expect(page.get_by_role("status").filter(has_text="提交成功")).to_be_visible()
    progress = page.get_by_role("region", name="办理进度")
    expect(progress).to_contain_text("已提交")
    expect(page.get_by_role("region", name="审批记录").get_by_role("cell", name="提交", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="保存", exact=True)).to_be_hidden()
    assert_accessible(page)

    page.get_by_role("button", name="退出").click()
    username = an_authority(platform, tmp_path)
    log_in(page, portal, username, AUTHORITY_PASSWORD)
    expect(page.get_by_role("heading", name="待办", level=1)).to_be_visible()
    queue = page.get_by_role("search", name="筛选待办")
    queue.get_by_label("单位名称或统一社会信用代码").fill(form["credit_code"])
    queue.get_by_role("button", name="查询").click()
    listed = page.get_by_role("row").filter(has_text=form["unit_name"])
    expect(listed).to_contain_text("未领取")
    assert_accessible(page)
    listed.get_by_role("link", name=f"办理：{form['unit_name']} 新单位注册").click()
    expect(page.get_by_role("heading", name="审查", level=1)).to_be_visible()
    page.get_by_role("button", name="领取", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="已办理：领取")).to_be_visible()
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="已办理：受理")).to_be_visible()
    expect(page.get_by_role("region", name="办理进度")).to_contain_text("已受理")
    assert_accessible(page)
