"""The effects of ApplicationApproved on the register, over real NATS and PostgreSQL: each
approval type, redelivery without a second effect, and a change that arrives before its issue."""

from __future__ import annotations

import datetime as dt
import re

from .conftest import Registry, approval

NUMBER = re.compile(r"^甲测资字11[0-9]{6}$")


async def test_a_qualification_approval_issues_a_numbered_certificate_valid_five_years(registry: Registry) -> None:
    event = approval(approved_on=dt.date(2025, 3, 1))
    await registry.deliver(event)
    cert = await registry.certificate(event.unit_id)
    assert NUMBER.match(cert["number"]), cert["number"]
    assert (cert["status"], cert["regime"], cert["level"]) == ("有效", "2021", "甲级")
    assert (cert["issued_on"], cert["valid_until"]) == (dt.date(2025, 3, 1), dt.date(2030, 2, 28))
    assert [c["category"] for c in cert["categories"]] == ["工程测量", "地理信息系统工程"]
    versions = await registry.versions(cert["number"])
    assert [(v["version"], v["kind"], v["void"]) for v in versions] == [(1, "发证", False)]
    [issued] = await registry.emitted(cert["number"])
    assert issued["type"] == "registry.certificate_issued.v1"
    assert (issued["number"], issued["regime"], issued["unit_id"]) == (cert["number"], "2021", event.unit_id)


async def test_navigation_certificates_of_the_ministry_take_jia_and_province_00(registry: Registry) -> None:
    event = approval(
        certificate_type="导航电子地图制作甲级资质证书", jurisdiction="000000", levels=(("导航电子地图制作", "甲级"),)
    )
    await registry.deliver(event)
    assert re.match(r"^甲测资字00[0-9]{6}$", (await registry.certificate(event.unit_id))["number"])


async def test_a_redelivered_or_republished_approval_has_no_second_effect(registry: Registry) -> None:
    event = approval()
    await registry.deliver(event)
    await registry.publish(event, again=True)  # the same event past the duplicate window
    same_application = approval(unit_id=event.unit_id)
    same_application = same_application.__class__(
        **{
            **{f: getattr(same_application, f) for f in same_application.__struct_fields__},
            "application_id": event.application_id,
        }
    )
    await registry.deliver(same_application)  # another event id, the same application
    later = approval()
    await registry.deliver(later)  # delivered after the duplicates: they were handled before it
    rows = await registry.fetch("SELECT number FROM certificates WHERE unit_id = $1", event.unit_id)
    assert len(rows) == 1
    assert len(await registry.emitted(rows[0]["number"])) == 1


async def test_basic_information_change_reissues_with_the_same_number_and_validity(registry: Registry) -> None:
    issue = approval(approved_on=dt.date(2025, 3, 1))
    await registry.deliver(issue)
    number = (await registry.certificate(issue.unit_id))["number"]
    change = approval(
        "基本信息变更",
        unit_id=issue.unit_id,
        number=number,
        approved_on=dt.date(2025, 6, 2),
        changes={"unit_name": "北京新测绘有限公司", "legal_representative": "李四"},
    )
    await registry.deliver(change)
    cert = await registry.certificate(issue.unit_id)
    assert (cert["number"], cert["unit_name"], cert["legal_representative"]) == (number, "北京新测绘有限公司", "李四")
    assert cert["registered_address"] == "北京市海淀区中关村大街1号"
    assert (cert["issued_on"], cert["valid_until"], cert["current_version"]) == (
        dt.date(2025, 6, 2),
        dt.date(2030, 2, 28),
        2,
    )
    versions = await registry.versions(number)
    assert [(v["version"], v["kind"], v["particulars"]["unit_name"]) for v in versions] == [
        (1, "发证", "北京测绘有限公司"),
        (2, "换发", "北京新测绘有限公司"),
    ]
    changed = (await registry.emitted(number))[-1]
    assert (changed["type"], changed["change"], changed["certificate_version"]) == (
        "registry.certificate_changed.v1",
        "基本信息变更",
        2,
    )


async def test_scope_change_makes_a_version_with_the_new_categories(registry: Registry) -> None:
    issue = approval()
    await registry.deliver(issue)
    number = (await registry.certificate(issue.unit_id))["number"]
    await registry.deliver(
        approval(
            "专业范围变更", unit_id=issue.unit_id, number=number, levels=(("工程测量", "甲级"), ("地图编制", "甲级"))
        )
    )
    versions = await registry.versions(number)
    assert [[c["category"] for c in v["categories"]] for v in versions] == [
        ["工程测量", "地理信息系统工程"],
        ["工程测量", "地图编制"],
    ]
    assert [c["category"] for c in (await registry.certificate(issue.unit_id))["categories"]] == [
        "工程测量",
        "地图编制",
    ]


async def test_a_replacement_copy_is_marked_reissued_and_voids_the_previous_copy(registry: Registry) -> None:
    issue = approval()
    await registry.deliver(issue)
    number = (await registry.certificate(issue.unit_id))["number"]
    await registry.deliver(approval("补领证书", unit_id=issue.unit_id, number=number, reason="遗失"))
    versions = await registry.versions(number)
    assert [(v["version"], v["kind"], v["void"]) for v in versions] == [(1, "发证", True), (2, "补发", False)]
    assert (await registry.emitted(number))[-1]["change"] == "补领证书"


async def test_cancellation_records_the_date_and_reason(registry: Registry) -> None:
    issue = approval()
    await registry.deliver(issue)
    number = (await registry.certificate(issue.unit_id))["number"]
    await registry.deliver(
        approval(
            "资质注销", unit_id=issue.unit_id, number=number, approved_on=dt.date(2025, 9, 9), reason="单位申请注销"
        )
    )
    cert = await registry.certificate(issue.unit_id)
    assert (cert["status"], cert["cancelled_on"], cert["cancel_reason"]) == (
        "已注销",
        dt.date(2025, 9, 9),
        "单位申请注销",
    )
    cancelled = (await registry.emitted(number))[-1]
    assert (cancelled["type"], cancelled["reason"]) == ("registry.certificate_cancelled.v1", "单位申请注销")


async def test_supplementing_data_changes_nothing(registry: Registry) -> None:
    issue = approval()
    await registry.deliver(issue)
    number = (await registry.certificate(issue.unit_id))["number"]
    await registry.deliver(approval("补充和修改数据", unit_id=issue.unit_id, number=number))
    assert len(await registry.versions(number)) == 1
    assert len(await registry.emitted(number)) == 1


async def test_a_change_arriving_before_its_issue_waits_and_is_applied_after_it(registry: Registry) -> None:
    unit_id = "u-early-change"
    change = approval("基本信息变更", unit_id=unit_id, changes={"registered_address": "北京市西城区1号"})
    await registry.deliver(change)
    assert await registry.fetch("SELECT * FROM certificates WHERE unit_id = $1", unit_id) == []
    assert len(await registry.fetch("SELECT * FROM pending_changes WHERE unit_id = $1", unit_id)) == 1
    await registry.deliver(approval(unit_id=unit_id))
    cert = await registry.certificate(unit_id)
    assert (cert["current_version"], cert["registered_address"]) == (2, "北京市西城区1号")
    assert await registry.fetch("SELECT * FROM pending_changes") == []
    kinds = [e["type"] for e in await registry.emitted(cert["number"])]
    assert kinds == ["registry.certificate_issued.v1", "registry.certificate_changed.v1"]


async def test_renewal_replaces_the_old_regime_certificate(registry: Registry) -> None:
    unit_id = "u-renewal"
    conn = await registry.db()
    try:
        await conn.execute(
            """INSERT INTO certificates (id, number, certificate_type, level, regime, unit_id, credit_code, unit_name,
               issuing_jurisdiction, authority_name, issued_on, valid_until)
               VALUES (gen_random_uuid(), '丙测资字1100123', '丙级资质证书', '丙级', 'legacy', NULL,
                       '91110108MA01ABCD1X', '北京测绘有限公司', '110000', '北京市测绘局',
                       '2018-01-01', '2023-12-31')"""
        )
    finally:
        await conn.close()
    await registry.deliver(approval("复审换证", unit_id=unit_id, number="丙测资字1100123"))
    new = await registry.certificate(unit_id)
    [old] = await registry.fetch("SELECT * FROM certificates WHERE number = '丙测资字1100123'")
    assert (old["status"], old["replaced_by"]) == ("已换证", new["number"])
    replaced = (await registry.emitted("丙测资字1100123"))[-1]
    assert (replaced["type"], replaced["replaced_by"]) == ("registry.certificate_replaced.v1", new["number"])
