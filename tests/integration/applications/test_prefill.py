"""Prefill over HTTP: a page never saved on a new work starts from the same page of the unit's own
earlier work (the last approved first), marked ``prefilled_from`` and 未填写 until saved; never from
another unit's work, never from another page, never over a saved page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .conftest import Desk, Headers, credit_code_in
from .flow import Filed, accepted_by, act, ok, save, set_columns, submit

CODE = credit_code_in("110000")
REGISTRATION = {"application_type": "新单位注册", "certificate_type": "乙级资质证书"}
APPLY_B = {"application_type": "资质申请", "certificate_type": "乙级资质证书"}
PERSON = {"name": "张三", "id_number": "110101199003074514", "position": "总经理", "mobile": "13800138000"}
LEADERS = {"legal_person": [PERSON], "qualification_leaders": [{**PERSON, "name": "王五", "title": "高级工程师"}]}
ADDRESS = {"province": "110000", "detail": "海淀区中关村大街1号"}
ENTERED = {
    "office_address": "海淀区中关村大街2号",
    "nature": "企业",
    "founded_on": "2010-05-01",
    "registered_capital": 500,
    "contact": "李四",
    "contact_phone": "010-12345678",
    "email": "office@example.cn",
    "postcode": "100080",
}
UNIT_INFO = {
    "unit_name": "测试测绘有限公司",
    "credit_code": CODE,
    "registered_address": ADDRESS,
    "legal_representative": "张三",
    "intended_certificate": "乙级资质证书",
    **ENTERED,
}


async def _create(desk: Desk, headers: Headers, body: dict[str, str]) -> dict[str, Any]:
    answer = await desk.client.post("/works", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def _page(desk: Desk, work_id: str, key: str, headers: Headers) -> dict[str, Any]:
    return await ok(await desk.client.get(f"/works/{work_id}/pages/{key}", headers=headers))


async def _approved_registration(desk: Desk) -> tuple[Headers, str, str]:
    """新单位注册 filed, 受理 → 审查 → 批准 by a 北京 account; the unit then verified with the
    approved particulars (what the ApplicationApproved consumers leave). Headers, work id, licence."""
    unit_id = await desk.add_unit(credit_code=CODE)
    headers = desk.unit(unit_id)
    work = await _create(desk, headers, REGISTRATION)
    licence = await desk.upload(headers, "营业执照")
    version = await save(
        desk, work["id"], headers, "unit_info", work["version"], values=UNIT_INFO, documents={"营业执照": [licence]}
    )
    filed = Filed(
        work["id"], unit_id, headers, "", await save(desk, work["id"], headers, "leaders", version, values=LEADERS)
    )
    await ok(await submit(desk, filed))
    officer = desk.authority("110000", roles=("acceptance", "review", "approval"))
    await accepted_by(desk, filed, officer)
    await ok(await act(desk, filed, officer, "claim"))
    await ok(await act(desk, filed, officer, "review", opinion="符合条件"))
    await ok(await act(desk, filed, officer, "claim"))
    assert (await ok(await act(desk, filed, officer, "approve")))["state"] == "approved"
    conn = await desk.db()
    try:
        await conn.execute(
            """UPDATE units SET verified = true, registered_address = '北京市海淀区中关村大街1号',
               legal_representative = '张三' WHERE unit_id = $1""",
            unit_id,
        )
    finally:
        await conn.close()
    return headers, work["id"], licence


async def test_a_new_work_starts_from_the_approved_registration(desk: Desk) -> None:
    headers, registration, licence = await _approved_registration(desk)
    work = await _create(desk, headers, APPLY_B)
    page = await _page(desk, work["id"], "unit_info", headers)
    assert page["status"] == "未填写" and page["saved_at"] is None
    source = page["prefilled_from"]
    assert (source["application_id"], source["application_type"]) == (registration, "新单位注册")
    assert (source["state"], source["state_label"]) == ("approved", "已批准")
    values = page["values"]
    assert {k: values.get(k) for k in ENTERED} == ENTERED
    assert values["registered_address"] == ADDRESS and values["legal_representative"] == "张三"
    assert values["unit_name"] == "测试测绘有限公司" and values["credit_code"] == CODE
    assert "intended_certificate" not in values  # a field of 新单位注册 only
    assert page["documents"] == {"营业执照": [licence]}
    leaders = await _page(desk, work["id"], "leaders", headers)
    assert leaders["values"] == LEADERS and leaders["status"] == "未填写"
    for key in ("application_form", "profile", "staff"):  # not filed before / per request / roster
        other = await _page(desk, work["id"], key, headers)
        assert other["prefilled_from"] is None and other["values"] == {} and other["documents"] == {}
    switcher = {
        p["key"]: p["status"]
        for p in (await ok(await desk.client.get(f"/works/{work['id']}", headers=headers)))["pages"]
    }
    assert switcher["unit_info"] == switcher["leaders"] == "未填写"  # prefilled is not done
    saved = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info",
        json={"values": values, "documents": page["documents"], "version": work["version"]},
        headers=headers,
    )
    assert saved.status_code == 200, saved.text  # the frozen licence is still the unit's, usable
    assert saved.json()["status"] == "已保存" and saved.json()["prefilled_from"] is None


async def test_a_saved_page_is_never_overwritten(desk: Desk) -> None:
    headers, _, _ = await _approved_registration(desk)
    work = await _create(desk, headers, APPLY_B)
    mine = {"legal_person": [PERSON], "qualification_leaders": [{**PERSON, "name": "赵六"}]}
    await save(desk, work["id"], headers, "leaders", work["version"], values=mine)
    page = await _page(desk, work["id"], "leaders", headers)
    assert page["values"] == mine and page["prefilled_from"] is None and page["status"] == "已保存"


async def _filed(desk: Desk, headers: Headers, state: str, decided: dt.date | None, **pages: Any) -> str:
    """A 资质申请 with ``pages`` saved (key → (values, documents)), moved straight to ``state``,
    submitted 20 days before ``decided`` (or 2024-11-11 when undecided)."""
    work = await _create(desk, headers, APPLY_B)
    version = work["version"]
    for key, (values, documents) in pages.items():
        version = await save(desk, work["id"], headers, key, version, values=values, documents=documents)
    submitted = dt.datetime.combine(decided or dt.date(2024, 12, 1), dt.time(9), dt.UTC) - dt.timedelta(days=20)
    await set_columns(desk, work["id"], state=state, revision=0, submitted_at=submitted, decided_on=decided)
    return str(work["id"])


async def test_the_last_approved_work_wins_then_the_last_submitted(desk: Desk) -> None:
    _, headers = await desk.registered_unit(credit_code=CODE)
    form = await desk.upload(headers, "申请书")
    old = await _filed(desk, headers, "approved", dt.date(2024, 1, 10), profile=({"profile": "旧简介"}, {}))
    last = await _filed(
        desk,
        headers,
        "approved",
        dt.date(2024, 6, 1),
        profile=({"profile": "批准时的简介"}, {}),
        application_form=({}, {"申请书": [form]}),
    )
    await _filed(desk, headers, "refused", dt.date(2024, 9, 1), profile=({"profile": "不予批准的简介"}, {}))
    work = await _create(desk, headers, APPLY_B)
    page = await _page(desk, work["id"], "profile", headers)
    assert page["values"] == {"profile": "批准时的简介"} and page["prefilled_from"]["application_id"] == last
    assert old != last
    form_page = await _page(desk, work["id"], "application_form", headers)  # 申请书 is per application
    assert form_page["documents"] == {} and form_page["prefilled_from"] is None
    unit_info = await _page(desk, work["id"], "unit_info", headers)  # never saved before: no other page's
    assert unit_info["prefilled_from"] is None and "office_address" not in unit_info["values"]


async def test_never_from_another_units_work(desk: Desk) -> None:
    _, theirs = await desk.registered_unit(credit_code=CODE)
    await _filed(desk, theirs, "approved", dt.date(2024, 6, 1), profile=({"profile": "别人的简介"}, {}))
    _, mine = await desk.registered_unit(credit_code=credit_code_in("120000"))
    work = await _create(desk, mine, APPLY_B)
    page = await _page(desk, work["id"], "profile", mine)
    assert page["values"] == {} and page["prefilled_from"] is None
    deleted = await desk.client.delete(f"/works/{work['id']}", headers={**mine, "If-Match": str(work["version"])})
    assert deleted.status_code == 204, deleted.text
    own = await _filed(desk, mine, "withdrawn", None, profile=({"profile": "自己撤回前的简介"}, {}))
    again = await _create(desk, mine, APPLY_B)
    page = await _page(desk, again["id"], "profile", mine)
    assert page["values"] == {"profile": "自己撤回前的简介"} and page["prefilled_from"]["application_id"] == own
