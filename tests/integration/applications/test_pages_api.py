"""信息填报 over HTTP: page definitions, 保存 with server-side validation, read-only fields, uploads
checked with the real documents service, levels checked against the real standard, versions."""

from __future__ import annotations

from typing import Any

from .conftest import Desk, Headers, credit_code_in

REGISTRATION = {"application_type": "新单位注册", "certificate_type": "乙级资质证书"}
APPLY_B = {"application_type": "资质申请", "certificate_type": "乙级资质证书"}
PERSON = {"name": "张三", "id_number": "110101199003074514", "position": "总经理", "mobile": "13800138000"}


def unit_info(**overrides: Any) -> dict[str, Any]:
    values = {
        "unit_name": "测试测绘有限公司",
        "credit_code": credit_code_in("110000"),
        "registered_address": {"province": "320000", "detail": "南京市玄武区北京东路1号"},
        "office_address": "南京市玄武区北京东路1号",
        "legal_representative": "张三",
        "nature": "企业",
        "founded_on": "2010-05-01",
        "contact": "李四",
        "contact_phone": "025-12345678",
        "intended_certificate": "乙级资质证书",
    }
    values.update(overrides)
    return values


async def _work(desk: Desk, headers: Headers, body: dict[str, str] = REGISTRATION) -> dict[str, Any]:
    answer = await desk.client.post("/works", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def test_page_definition_and_prefill(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    work = await _work(desk, headers)
    page = (await desk.client.get(f"/works/{work['id']}/pages/unit_info", headers=headers)).json()
    assert page["status"] == "未填写" and page["version"] == work["version"]
    fields = {f["key"]: f for f in page["definition"]["fields"]}
    assert fields["credit_code"]["read_only"] and not fields["unit_name"]["read_only"]
    assert fields["registered_address"]["kind"] == "province_address"
    assert {"value": "110000", "label": "北京市"} in fields["registered_address"]["options"]
    assert "intended_certificate" in fields  # only in 新单位注册
    assert page["definition"]["uploads"] == [{"purpose": "营业执照", "label": "营业执照或法人证书", "required": True}]
    assert page["values"]["credit_code"] == credit_code_in("110000")
    missing = await desk.client.get(f"/works/{work['id']}/pages/scope", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "applications.page_not_found"


async def test_required_fields_block_the_save_with_every_message(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    work = await _work(desk, headers)
    values = unit_info(legal_representative="", contact_phone="abc")
    del values["nature"]
    refused = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info", json={"values": values, "version": work["version"]}, headers=headers
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "applications.page_invalid"
    assert body["details"]["fields"] == {
        "legal_representative": "请填写法定代表人",
        "nature": "请选择单位性质",
        "contact_phone": "联系电话格式不正确",
    }
    assert body["details"]["field"] == "$.values.legal_representative"
    again = (await desk.client.get(f"/works/{work['id']}", headers=headers)).json()
    assert again["version"] == work["version"]  # nothing written


async def test_save_moves_the_version_the_jurisdiction_and_the_status(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    work = await _work(desk, headers)
    assert work["jurisdiction"] == "110000"
    licence = await desk.upload(headers, "营业执照")
    saved = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info",
        json={"values": unit_info(), "documents": {"营业执照": [licence]}},
        headers={**headers, "If-Match": str(work["version"])},
    )
    assert saved.status_code == 200, saved.text
    page = saved.json()
    assert page["status"] == "已保存" and page["errors"] == {} and page["version"] == work["version"] + 1
    assert page["documents"] == {"营业执照": [licence]}
    after = (await desk.client.get(f"/works/{work['id']}", headers=headers)).json()
    assert after["jurisdiction"] == "320000" and after["version"] == work["version"] + 1
    assert after["pages"][0] == {
        "key": "unit_info",
        "title": "单位基本信息",
        "status": "已保存",
        "required": True,
        "returned": False,
    }
    stale = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info",
        json={"values": unit_info(), "documents": {"营业执照": [licence]}, "version": work["version"]},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["message"] == "该申请已被他人处理，请刷新后查看"


async def test_missing_upload_saves_but_shows_the_page_wrong(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    work = await _work(desk, headers)
    saved = (
        await desk.client.put(f"/works/{work['id']}/pages/unit_info", json={"values": unit_info()}, headers=headers)
    ).json()
    assert saved["status"] == "有误" and saved["errors"] == {"documents.营业执照": "请上传营业执照或法人证书"}


async def test_uploads_must_be_the_units_own_and_of_the_purpose(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    other = desk.unit(await desk.add_unit(credit_code=credit_code_in("120000")))
    work = await _work(desk, headers)
    wrong_purpose = await desk.upload(headers, "身份证")
    theirs = await desk.upload(other, "营业执照")
    for ids, expected in (([wrong_purpose], "材料类型是「身份证」"), ([theirs], "不存在或已删除")):
        refused = await desk.client.put(
            f"/works/{work['id']}/pages/unit_info",
            json={"values": unit_info(), "documents": {"营业执照": ids}},
            headers=headers,
        )
        assert refused.status_code == 400, refused.text
        assert expected in refused.json()["details"]["fields"]["documents.营业执照"]
    unknown = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info",
        json={"values": unit_info(), "documents": {"申请书": [wrong_purpose]}},
        headers=headers,
    )
    assert unknown.status_code == 400 and "documents.申请书" in unknown.json()["details"]["fields"]


async def test_verified_unit_cannot_change_its_name_outside_registration(desk: Desk) -> None:
    _, headers = await desk.registered_unit(registered_address="北京市海淀区中关村大街1号", legal_representative="张三")
    work = await _work(desk, headers, APPLY_B)
    page = (await desk.client.get(f"/works/{work['id']}/pages/unit_info", headers=headers)).json()
    fields = {f["key"]: f for f in page["definition"]["fields"]}
    assert fields["unit_name"]["read_only"] and "intended_certificate" not in fields
    assert fields["unit_name"]["locked"]  # 基本信息变更 changes it
    assert fields["credit_code"]["read_only"] and not fields["credit_code"]["locked"]  # nothing changes it
    renamed = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info",
        json={"values": unit_info(unit_name="另一个名字有限公司")},
        headers=headers,
    )
    assert renamed.status_code == 400
    assert renamed.json()["details"]["fields"]["unit_name"] == "单位名称不可修改，如需变更请办理基本信息变更"
    values = unit_info()
    del values["intended_certificate"]
    kept = await desk.client.put(f"/works/{work['id']}/pages/unit_info", json={"values": values}, headers=headers)
    assert kept.status_code == 200, kept.text


async def test_levels_are_checked_against_the_standard_in_force(desk: Desk) -> None:
    _, headers = await desk.registered_unit()
    work = await _work(desk, headers, APPLY_B)
    page = (await desk.client.get(f"/works/{work['id']}/pages/scope", headers=headers)).json()
    options = {o["category"]: o for o in page["definition"]["level_options"]}
    assert options["工程测量"]["levels"] == ["甲级", "乙级"] and page["definition"]["standard_version"]
    url = f"/works/{work['id']}/pages/scope"
    bad = await desk.client.put(
        url, json={"values": {"levels": [{"category": "算命", "level": "乙级"}]}}, headers=headers
    )
    assert bad.status_code == 400 and "不在现行资质标准中" in bad.json()["details"]["fields"]["levels"]
    sub = options["大地测量"]["sub_items"][0]
    good = await desk.client.put(
        url,
        json={"values": {"levels": [{"category": "大地测量", "level": "乙级", "sub_items": [sub]}]}},
        headers=headers,
    )
    assert good.status_code == 200 and good.json()["status"] == "已保存"


SCOPE_CHANGE = {"application_type": "专业范围变更", "certificate_type": "乙级资质证书"}
HELD = [
    {"category": "工程测量", "level": "乙级", "sub_items": []},
    {"category": "海洋测绘", "level": "乙级", "sub_items": []},
]


async def test_a_scope_change_starts_from_the_certificate_and_drops_nothing_unconfirmed(desk: Desk) -> None:
    """Issue 18: the page opened with nothing ticked, and the approval replaced the certificate's
    专业范围 with the ticked ones; now it opens with the certificate's, and a 专业 dropped is refused
    at 保存 and at 提交 until confirmed by name."""
    unit_id, headers = await desk.registered_unit()
    await desk.add_certificate(unit_id, categories=(("工程测量", "乙级"), ("海洋测绘", "乙级")))
    work = await _work(desk, headers, SCOPE_CHANGE)
    url = f"/works/{work['id']}/pages/scope"
    page = (await desk.client.get(url, headers=headers)).json()
    assert page["values"]["levels"] == HELD and page["status"] == "未填写"
    assert page["definition"]["current_levels"] == HELD
    added = [*HELD, {"category": "地图编制", "level": "乙级", "sub_items": []}]
    kept = await desk.client.put(url, json={"values": {"levels": added}}, headers=headers)
    assert kept.status_code == 200 and kept.json()["status"] == "已保存", kept.text
    dropped = await desk.client.put(url, json={"values": {"levels": HELD[:1]}}, headers=headers)
    assert dropped.status_code == 400
    message = dropped.json()["details"]["fields"]["confirmed_removals"]
    assert "海洋测绘" in message and "工程测量" not in message
    confirmed = {"levels": HELD[:1], "confirmed_removals": ["海洋测绘", "工程测量"]}
    saved = await desk.client.put(url, json={"values": confirmed}, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["values"]["confirmed_removals"] == ["海洋测绘"]  # only what is really dropped


async def test_roster_page_is_saved_when_confirmed(desk: Desk) -> None:
    _, headers = await desk.registered_unit()
    work = await _work(desk, headers, APPLY_B)
    url = f"/works/{work['id']}/pages/staff"
    before = (await desk.client.get(url, headers=headers)).json()
    assert before["status"] == "未填写" and before["definition"]["roster"] == "persons"
    saved = await desk.client.put(url, json={}, headers=headers)
    assert saved.status_code == 200 and saved.json()["status"] == "已保存"


async def test_people_page(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    work = await _work(desk, headers)
    url = f"/works/{work['id']}/pages/leaders"
    bad = await desk.client.put(
        url,
        json={"values": {"legal_person": [PERSON], "qualification_leaders": [{**PERSON, "mobile": "123"}]}},
        headers=headers,
    )
    assert bad.status_code == 400
    assert (
        bad.json()["details"]["fields"]["qualification_leaders"] == "分管资质申报领导信息第1人：手机号码应为11位手机号"
    )
    good = await desk.client.put(
        url, json={"values": {"legal_person": [PERSON], "qualification_leaders": [PERSON]}}, headers=headers
    )
    assert good.status_code == 200 and good.json()["status"] == "已保存"


async def test_submitted_work_is_not_editable(desk: Desk) -> None:
    headers = desk.unit(await desk.add_unit())
    work = await _work(desk, headers)
    conn = await desk.db()
    try:
        await conn.execute("UPDATE applications SET state = 'submitted', revision = 0 WHERE id = $1", work["id"])
    finally:
        await conn.close()
    refused = await desk.client.put(
        f"/works/{work['id']}/pages/unit_info", json={"values": unit_info()}, headers=headers
    )
    assert refused.status_code == 409 and refused.json()["message"] == "该工作已提交，不能修改"
