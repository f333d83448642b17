"""Old-regime certificates on the whole platform (issue 18, defects 4 and 1), by the labels a user
reads: an export loaded with ``python -m services.registry legacy-load`` before the unit had an
account; the unit registers with that credit code and its 新单位注册 is approved; then
我的资质证书 lists both certificates, the authority's register finds them under the unit, and a
资质申请 for 工程测量 甲级 (the unit held 乙级 工程测量 since 2018-03-20) is offered 测绘业绩信息 and
满足情况 counts the old 乙级 as held 满2年 — from the registry's events to the screen."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from deploy.local.stack import Stack
from tests.builders.portal import signed_in_unit
from tests.e2e.flow_steps import (
    an_authority,
    as_authority,
    as_unit,
    create_work,
    open_review,
    save_page,
    switch_to,
)
from tests.e2e.test_application_flow import decide, file_registration
from tests.fixtures.accessibility import assert_accessible
from tests.fixtures.waiting import eventually_sync

pytestmark = pytest.mark.browser

HEADER = "证书编号,单位名称,统一社会信用代码,证书等级,专业类别,发证机关,发证日期,有效期至\n"
YI_SINCE = dt.date(2018, 3, 20)


def load_export(platform: Stack, tmp_path: Path, unit: dict[str, str]) -> tuple[str, str]:
    """The old system's export of the unit's 甲级 大地测量 and 乙级 工程测量, loaded; their numbers."""
    serial = random.randrange(10_000, 100_000)
    jia, yi = f"甲测资字11{serial:05d}", f"乙测资字11{serial:05d}"
    name, code = unit["unit_name"], unit["credit_code"]
    path = tmp_path / "旧证.csv"
    path.write_text(
        HEADER
        + f"{jia},{name},{code},甲,大地测量,国家测绘地理信息局,2016-05-01,2099-12-31\n"
        + f"{yi},{name},{code},乙,工程测量,北京市测绘地理信息局,{YI_SINCE.isoformat()},2099-12-31\n",
        encoding="utf-8",
    )
    env = {**os.environ, "DATABASE_URL": platform.database_url(), "DATABASE_NAME": "qual_registry"}
    command = [sys.executable, "-m", "services.registry", "legacy-load", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "导入 2 行，拒绝 0 行" in done.stdout, done.stdout
    return jia, yi


def months_since(day: dt.date) -> int:
    today = dt.date.today()
    return (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)


def test_legacy_certificates_become_the_registered_units(platform: Stack, page: Page, tmp_path: Path) -> None:
    portal = platform.config.portal_url
    unit = signed_in_unit(page, portal)
    jia, yi = load_export(platform, tmp_path, unit)
    file_registration(page)
    authority = an_authority(platform, tmp_path)
    as_authority(page, portal, authority)
    open_review(page, portal, unit["unit_name"], unit["credit_code"], "新单位注册")
    decide(page, "材料齐全，同意注册")

    # the authority's register: both under the unit's credit code
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="资质证书登记").click()
    expect(page.get_by_role("heading", name="资质证书登记", level=1)).to_be_visible()
    filters = page.get_by_role("search", name="筛选证书")
    filters.get_by_label("统一社会信用代码", exact=True).fill(unit["credit_code"])
    filters.get_by_role("button", name="查询").click()
    register = page.get_by_role("table", name="证书列表")
    for number in (jia, yi):
        expect(register.get_by_role("link", name=number, exact=True)).to_be_visible()

    # 我的资质证书: both, once the registry has linked them (UnitVerified → CertificateLinked)
    as_unit(page, portal, unit)
    mine = page.get_by_role("table", name="资质证书列表")

    def listed() -> bool:
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的资质证书").click()
        expect(page.get_by_role("heading", name="我的资质证书", level=1)).to_be_visible()
        expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)
        return mine.locator(f'tr[data-number="{yi}"]').count() == 1

    eventually_sync(listed)
    expect(mine.locator(f'tr[data-number="{jia}"]')).to_contain_text("甲级资质证书")
    expect(mine.locator(f'tr[data-number="{yi}"]')).to_contain_text("乙级资质证书")
    expect(page.get_by_text("暂无资质证书")).to_have_count(0)
    assert_accessible(page)

    # 资质申请 工程测量 甲级: 测绘业绩信息 offered, 满足情况 counts the old 乙级 from 2018-03-20
    page.goto(portal)
    create_work(page, "资质申请", "甲级资质证书")
    switch_to(page, "专业范围")
    page.get_by_label("工程测量", exact=True).select_option("甲级")
    save_page(page, "专业范围")
    switcher = page.get_by_role("navigation", name="填报页面")
    expect(switcher.get_by_role("button", name="测绘业绩信息")).to_be_visible()
    page.reload()
    expect(switcher.get_by_role("button", name="测绘业绩信息")).to_be_visible()
    switch_to(page, "技术人员信息")
    page.get_by_role("button", name="满足情况查看").click()
    result = page.locator(".work-fulfilment")
    prerequisite = result.locator('tr[data-requirement="performance.prerequisite"]')
    months = months_since(YI_SINCE)
    expect(prerequisite).to_contain_text(f"取得工程测量乙级测绘资质已满2年：需满24个月，实有{months}个月")
    expect(prerequisite.get_by_text("满足", exact=True)).to_be_visible()
