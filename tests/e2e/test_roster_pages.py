"""单位信息 in headless Chromium against the whole platform as processes (manual 5.5–5.7): a person
added with documents uploaded in the 添加 dialog is complete and counted, one without is shown in
another colour with its reasons and not counted; the same 证件号码 at a second unit is refused
naming the first; 专业技术人员满足情况查看 shows the whole requirement table; a legacy person is
transferred; an instrument and a project go through their own pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest
from playwright.sync_api import Locator, Page, expect

from deploy.local.stack import Stack
from services.kernel.db import database_url_for
from services.staffing.protection import Protector
from services.staffing.rules import id_check_char, mask_id_number
from tests.builders.portal import MIME_TYPES, a_jpeg, a_pdf, signed_in_unit
from tests.fixtures.accessibility import assert_accessible, assert_focus_visible

pytestmark = pytest.mark.browser

HELD = "该人员已在「{unit}」登记，请联系该单位删除该人员；无法解决时请联系主管部门协调解决。"
RED = "rgb(166, 30, 36)"


def an_id_number() -> str:
    """A valid, fresh 居民身份证 number of an adult (北京市东城区)."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=random.randrange(13_000))
    first17 = f"110101{born:%Y%m%d}{random.randrange(1000):03d}"
    return first17 + id_check_char(first17)


def open_roster(page: Page, title: str) -> None:
    """A 单位信息 page from the header's 单位信息 group, once its list has loaded."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)


@pytest.fixture
def unit(platform: Stack, page: Page) -> dict[str, str]:
    """A new unit signed in, on 技术人员信息; its registration form."""
    form = signed_in_unit(page, platform.config.portal_url)
    open_roster(page, "技术人员信息")
    return form


def row_of(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=name, exact=True))


def open_add(page: Page, title: str = "添加人员") -> Locator:
    page.get_by_role("button", name="添加", exact=True).click()
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    return dialog


def fill(dialog: Locator, values: dict[str, str]) -> None:
    """Each field, found by its label: a select is chosen, anything else typed."""
    for label, value in values.items():
        field = dialog.get_by_label(label, exact=True)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def attach(dialog: Locator, purpose: str, filename: str, data: bytes) -> None:
    """上传 on the 材料类型's row, then the file through the dialog's upload component."""
    slot = dialog.locator(f'tr[data-slot="{purpose}"]')
    slot.get_by_role("button", name=f"上传{purpose}").click()
    expect(dialog.get_by_label("材料类型", exact=True)).to_have_value(purpose)
    mime = MIME_TYPES[Path(filename).suffix]
    dialog.get_by_label("文件", exact=True).set_input_files({"name": filename, "mimeType": mime, "buffer": data})
    dialog.get_by_role("button", name="上传", exact=True).click()
    expect(slot).to_contain_text(filename)


def save(dialog: Locator) -> None:
    dialog.get_by_role("button", name="保存", exact=True).click()


def close(dialog: Locator) -> None:
    dialog.get_by_role("button", name="关闭", exact=True).last.click()
    expect(dialog).to_be_hidden()


def saved(dialog: Locator, text: str) -> None:
    expect(dialog.get_by_role("status").filter(has_text=f"保存成功：{text}")).to_be_visible()


def test_a_person_with_documents_counts_and_one_without_is_shown_apart(unit: dict[str, str], page: Page) -> None:
    complete_number, incomplete_number = an_id_number(), an_id_number()
    dialog = open_add(page)
    fill(dialog, {"姓名": "张测绘", "证件号码": complete_number, "人员类别": "测绘专业技术人员", "职称等级": "中级"})
    attach(dialog, "职称证书", "职称证书.jpg", a_jpeg())
    attach(dialog, "社保缴纳证明", "社保缴纳证明.pdf", a_pdf())
    attach(dialog, "身份证", "身份证.jpg", a_jpeg(color=(200, 200, 10)))
    save(dialog)
    saved(dialog, "张测绘。可继续添加")
    expect(dialog.get_by_label("姓名", exact=True)).to_have_value("")  # cleared for the next one
    expect(dialog.locator('tr[data-slot="身份证"]')).to_contain_text("未上传")
    assert_accessible(page)

    fill(dialog, {"姓名": "李相关", "证件号码": incomplete_number, "人员类别": "相关专业技术人员"})
    save(dialog)
    saved(dialog, "李相关（信息尚不完整：")
    close(dialog)

    complete, incomplete = row_of(page, "张测绘"), row_of(page, "李相关")
    expect(complete).to_have_class(re.compile(r"\bis-complete\b"))
    expect(complete.get_by_text("完整", exact=True)).to_be_visible()
    expect(complete.get_by_role("cell", name=mask_id_number(complete_number), exact=True)).to_be_visible()
    expect(incomplete).to_have_class(re.compile(r"\bis-incomplete\b"))
    expect(incomplete.get_by_text("不完整", exact=True)).to_be_visible()
    for reason in ("请上传职称证书或学历证书", "请上传社保缴纳证明", "请上传身份证"):
        expect(incomplete.get_by_role("listitem").filter(has_text=reason)).to_have_count(1)
    colour = "td => getComputedStyle(td).color"
    assert complete.get_by_role("cell").first.evaluate(colour) != incomplete.get_by_role("cell").first.evaluate(colour)
    expect(page.get_by_text("计入人数：1", exact=True)).to_be_visible()
    expect(page.get_by_text("共 2 人", exact=True)).to_be_visible()
    assert_accessible(page)
    assert_focus_visible(page)

    filters = page.get_by_role("search", name="筛选人员")
    filters.get_by_label("信息状态", exact=True).select_option("不完整")
    filters.get_by_role("button", name="查询").click()
    expect(complete).to_have_count(0)
    expect(incomplete).to_have_count(1)
    filters.get_by_role("button", name="重置").click()
    expect(complete).to_have_count(1)

    incomplete.get_by_role("button", name="编辑：李相关").click()
    edit = page.get_by_role("dialog", name="编辑人员：李相关")
    expect(edit.get_by_label("证件号码", exact=True)).to_have_value(incomplete_number)  # the full number
    expect(edit.get_by_label("人员类别", exact=True)).to_have_value("相关专业技术人员")
    close(edit)

    incomplete.get_by_role("button", name="移除：李相关").click()
    confirm = page.get_by_role("dialog", name="移除人员")
    expect(confirm).to_contain_text("确定移除“李相关”吗？")
    confirm.get_by_role("button", name="确定移除").click()
    expect(page.get_by_role("status").filter(has_text="已移除：李相关")).to_be_visible()
    expect(row_of(page, "李相关")).to_have_count(0)
    expect(page.get_by_text("共 1 人", exact=True)).to_be_visible()


def test_a_person_held_by_another_unit_is_refused_naming_that_unit(
    platform: Stack, unit: dict[str, str], page: Page
) -> None:
    number = an_id_number()
    dialog = open_add(page)
    fill(dialog, {"姓名": "王首家", "证件号码": number, "人员类别": "非专业技术人员"})
    save(dialog)
    saved(dialog, "王首家")
    close(dialog)
    page.get_by_role("button", name="退出").click()

    signed_in_unit(page, platform.config.portal_url)
    open_roster(page, "技术人员信息")
    dialog = open_add(page)
    fill(dialog, {"姓名": "王首家", "证件号码": number, "人员类别": "非专业技术人员"})
    save(dialog)
    expect(dialog.get_by_role("alert").filter(has_text=HELD.format(unit=unit["unit_name"]))).to_be_visible()
    expect(dialog.get_by_label("姓名", exact=True)).to_have_value("王首家")  # nothing lost
    assert_accessible(page)
    close(dialog)
    expect(page.get_by_text("共 0 人", exact=True)).to_be_visible()


def test_fulfilment_shows_every_requirement_with_the_gaps_in_red(unit: dict[str, str], page: Page) -> None:
    page.get_by_role("button", name="专业技术人员满足情况查看").click()
    dialog = page.get_by_role("dialog", name="专业技术人员满足情况查看")
    dialog.get_by_role("button", name="查看", exact=True).click()
    expect(dialog.get_by_role("alert").filter(has_text="请至少选择一个专业类别和等级")).to_be_visible()

    dialog.get_by_role("checkbox", name="工程测量乙级").check()
    dialog.get_by_role("button", name="查看", exact=True).click()
    expect(dialog.get_by_role("status").filter(has_text="核验结果：未达到")).to_be_visible()
    table = dialog.get_by_role("table", name="工程测量 乙级：不满足")
    expect(table).to_be_visible()
    passed = table.get_by_role("row").filter(has_text="满足要求")
    failed = table.get_by_role("row").filter(has_text="不足")
    expect(passed.first).to_be_visible()  # passes are shown too
    expect(failed.first).to_be_visible()
    expect(failed.first.get_by_role("cell").last).to_have_css("color", RED)
    assert passed.first.get_by_role("cell").last.evaluate("td => getComputedStyle(td).color") != RED
    assert_accessible(page)


def test_a_legacy_person_is_transferred_and_listed_incomplete(
    platform: Stack, unit: dict[str, str], page: Page
) -> None:
    number = an_id_number()
    legacy_person(platform, credit_code=unit["credit_code"], name="赵老人", number=number)
    page.get_by_role("button", name="‘老人老办法’技术人员查询").click()
    dialog = page.get_by_role("dialog", name="‘老人老办法’技术人员查询")
    row = dialog.get_by_role("row").filter(has_text="赵老人")
    expect(row).to_contain_text(mask_id_number(number))
    expect(row).to_contain_text("未转移")
    assert_accessible(page)

    row.get_by_role("checkbox", name="选择赵老人").check()
    dialog.get_by_role("button", name="人员基本信息转移").click()
    expect(dialog.get_by_role("status").filter(has_text="已转移 1 人：赵老人")).to_be_visible()
    expect(row).to_contain_text("已转移")
    expect(row.get_by_role("checkbox")).to_be_disabled()
    close(dialog)

    listed = row_of(page, "赵老人")
    expect(listed).to_have_class(re.compile(r"\bis-incomplete\b"))
    expect(listed.get_by_text("老人老办法转入", exact=True)).to_be_visible()
    expect(listed.get_by_role("listitem").filter(has_text="请上传身份证")).to_have_count(1)
    expect(page.get_by_text("计入人数：0", exact=True)).to_be_visible()


def test_an_instrument_without_its_certificate_is_listed_with_the_reasons(unit: dict[str, str], page: Page) -> None:
    open_roster(page, "技术装备信息")
    dialog = open_add(page, "添加技术装备")
    serial = f"SN-{uuid.uuid4().hex[:10].upper()}"
    valid_until = (dt.date.today() + dt.timedelta(days=300)).isoformat()
    fill(dialog, {"设备类型": "全站仪", "品牌": "徕卡", "型号": "TS60", "出厂编号": serial})
    fill(dialog, {"购置日期": "2023-05-06", "检定/校准有效期至": valid_until})
    attach(dialog, "购置发票", "发票.jpg", a_jpeg())
    save(dialog)
    saved(dialog, f"全站仪 {serial}（信息尚不完整：请上传检定证书")
    close(dialog)
    listed = row_of(page, serial)
    expect(listed).to_have_class(re.compile(r"\bis-incomplete\b"))
    expect(listed.get_by_role("listitem").filter(has_text="请上传检定证书")).to_have_count(1)
    expect(page.get_by_text("计入数量：0", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_project_with_its_contract_and_acceptance_counts(unit: dict[str, str], page: Page) -> None:
    open_roster(page, "测绘业绩信息")
    dialog = open_add(page, "添加项目")
    fill(dialog, {"项目名称": "某市1:500地形图测绘", "专业类别": "工程测量", "合同金额（万元）": "12.3.4"})
    fill(dialog, {"委托单位": "某市自然资源局", "合同签订日期": "2024-03-01", "完成/验收日期": "2024-10-20"})
    attach(dialog, "项目合同", "合同.pdf", a_pdf())
    attach(dialog, "验收证明", "验收.jpg", a_jpeg())
    save(dialog)
    amount = dialog.get_by_label("合同金额（万元）", exact=True)
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_accessible_description(re.compile("最多保留两位小数"))
    amount.fill("86.50")
    save(dialog)
    saved(dialog, "某市1:500地形图测绘。可继续添加")
    close(dialog)
    listed = row_of(page, "某市1:500地形图测绘")
    expect(listed).to_have_class(re.compile(r"\bis-complete\b"))
    expect(listed.get_by_role("cell", name="86.50", exact=True)).to_be_visible()
    expect(page.get_by_text("计入项目数：1", exact=True)).to_be_visible()


# --- the old system's export, as the legacy load leaves it -------------------------------------


def legacy_person(platform: Stack, *, credit_code: str, name: str, number: str) -> None:
    """A row of the old system's staff for ``credit_code``, sealed with the launcher's staffing keys."""
    secrets = json.loads((platform.config.data_dir / "keys.json").read_text())["secrets"]
    protector = Protector(secrets["STAFFING_DATA_KEY"], secrets["STAFFING_HASH_KEY"])
    row = (
        uuid.uuid4(),
        uuid.uuid4(),
        credit_code,
        name,
        protector.seal_text(number),
        protector.identity("居民身份证", number),
        mask_id_number(number),
    )
    url = database_url_for(platform.database_url(), "qual_staffing")
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        pool.submit(asyncio.run, _insert_legacy(url, row)).result()


async def _insert_legacy(url: str, row: tuple[object, ...]) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO legacy_persons (id, load_id, line, credit_code, name, id_type, id_number_enc,"
            " id_number_hash, id_number_masked, category, title_level, major)"
            " VALUES ($1, $2, 2, $3, $4, '居民身份证', $5, $6, $7, '测绘专业技术人员', '中级', '测绘工程')",
            *row,
        )
    finally:
        await conn.close()
