"""What each screen says, and to whom, in headless Chromium in New York (a time zone 13 hours off
Beijing's) against the platform as processes, by the texts a user reads (issue 18):

* the review screen's 领取 hint follows the work's state and its viewer — not yet claimed, held by
  me, held by another officer, 已办结 once approved — and the officer's read-only pages carry none of
  the unit's filling hints (同法定代表人);
* an officer's header names the 机关名称 and the account; the unit reads the 机关名称 and the 办理环节
  in the 审批记录, never an officer's username;
* the unit's name corrected by its approved 新单位注册 reaches its live session without a new
  sign-in (UnitVerified → the gateway's sessions);
* every time shown is Beijing time: an instant at 16:30 UTC is 00:30 on the next day.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from deploy.local.stack import Stack
from services.kernel.clock import beijing_text
from tests.builders.portal import log_in, signed_in_unit
from tests.e2e.flow_steps import PASSWORD, act, an_authority, records_row, registration_submitted
from tests.fixtures.accessibility import assert_accessible
from tests.fixtures.browser import CONTEXT
from tests.fixtures.waiting import eventually_sync

pytestmark = pytest.mark.browser

NEW_YORK: dict[str, Any] = {"timezone_id": "America/New_York"}
OFFICE = "北京市规划和自然资源委员会"
MINUTE = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"


def officer_tab(browser: Browser, portal: str, username: str) -> Page:
    """Another officer's own browser (a context of its own, in New York too), signed in."""
    tab = browser.new_context(**{**CONTEXT, **NEW_YORK}).new_page()
    log_in(tab, portal, username, PASSWORD)
    expect(tab.get_by_role("heading", name="待办", level=1)).to_be_visible()
    return tab


def hint(tab: Page) -> Any:
    return tab.get_by_role("region", name="办理").locator(".holder-text")


@pytest.mark.parametrize("page", [NEW_YORK], indirect=True)
def test_each_viewer_reads_what_is_true_for_them_in_beijing_time(
    platform: Stack, page: Page, browser: Browser, tmp_path: Path
) -> None:
    portal = platform.config.portal_url
    unit = signed_in_unit(page, portal)
    assert page.evaluate("new Date('2026-12-06T16:30:00Z').getDate()") == 6  # the browser is in New York
    assert page.evaluate("import('/static/js/beijing.js').then((m) => m.timeText('2026-12-06T16:30:00Z'))") == (
        "2026-12-07 00:30"
    )
    corrected = f"{unit['unit_name'][:-4]}集团有限公司"
    work_id = registration_submitted(page, corrected)
    first_name, second_name = an_authority(platform, tmp_path), an_authority(platform, tmp_path)
    first, second = officer_tab(browser, portal, first_name), officer_tab(browser, portal, second_name)

    # An officer's header: the 机关名称 and the account, not the login name twice.
    expect(first.get_by_title("当前用户")).to_have_text(OFFICE)
    expect(first.locator(".user-account")).to_have_text(first_name)

    first.goto(f"{portal}review/{work_id}")
    expect(hint(first)).to_have_text("尚未领取：领取后方可办理")
    pages = first.get_by_role("region", name="申请信息")
    expect(pages.get_by_role("group", name="分管资质申报领导信息", exact=True)).to_be_visible()
    expect(pages).not_to_contain_text("同法定代表人")  # the unit's filling hint, not the officer's

    act(first, "领取")
    expect(hint(first)).to_have_text(re.compile(rf"^由您办理（{MINUTE} 领取）$"))
    second.goto(f"{portal}review/{work_id}")
    expect(hint(second)).to_have_text(re.compile(rf"^办理人：{first_name}（{MINUTE} 领取）$"))

    act(first, "受理")
    expect(hint(first)).to_have_text("尚未领取：领取后方可办理")  # the next step is claimed again
    act(first, "领取")
    act(first, "审查意见", opinion="材料齐全，同意注册")
    act(first, "领取")
    act(first, "批准")
    expect(first.get_by_role("region", name="办理进度")).to_contain_text("已批准")
    expect(hint(first)).to_have_text("已办结：已批准")
    assert_accessible(first)
    second.reload()
    expect(hint(second)).to_have_text("已办结：已批准")

    # The unit, signed in all along: its corrected name in the header once identity applied it.
    def renamed() -> bool:
        page.goto(portal)
        return page.get_by_title("当前用户").inner_text() == corrected

    eventually_sync(renamed, within=30)
    expect(page.locator(".page-subtitle").first).to_have_text(corrected)

    # The unit's 审批记录: the office and the step, never who; every time in Beijing time.
    page.get_by_role("link", name="办理：新单位注册（乙级资质证书）").click()
    records = page.get_by_role("region", name="审批记录")
    approved = records_row(page, "批准")
    expect(approved).to_contain_text(OFFICE)
    expect(approved).to_contain_text("审批")
    for officer in (first_name, second_name):
        expect(records).not_to_contain_text(officer)
    listed = page.request.get(f"{portal}api/applications/works/{work_id}/records").json()["items"]
    assert first_name not in str(listed)
    for entry in listed:
        shown = beijing_text(entry["recorded_at"])
        expect(records.locator(f'tr[data-record="{entry["id"]}"]')).to_contain_text(shown)
    for tab in (first, second):
        tab.context.close()
