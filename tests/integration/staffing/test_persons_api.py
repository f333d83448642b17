"""技术人员 over HTTP on real PostgreSQL, with the real documents service: 添加 / list / one / 编辑 /
移除, every refusal naming its field, completeness by the attached documents, and the events in
the outbox (read from the table)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from services.staffing.protection import Protector
from tests.builders.staffing import a_person, an_id_number

from .conftest import Headers, Roster

UnitHeaders = Callable[..., Headers]
PERSON_DOCUMENTS = ("职称证书", "社保缴纳证明", "身份证")
"""What a 测绘专业技术人员 (not retired) needs to be complete."""


async def add(roster: Roster, headers: Headers, **overrides: Any) -> dict[str, Any]:
    answer = await roster.client.post("/persons", json=a_person(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def documents_of(roster: Roster, headers: Headers, *purposes: str) -> list[dict[str, str]]:
    return [{"purpose": p, "document_id": await roster.upload(headers, p)} for p in purposes]


async def outbox(roster: Roster) -> list[tuple[str, dict[str, Any]]]:
    conn = await roster.db()
    try:
        rows = await conn.fetch("SELECT subject, payload FROM outbox ORDER BY id")
    finally:
        await conn.close()
    return [(row["subject"], json.loads(bytes(row["payload"]))) for row in rows]


# --- 添加, one, list --------------------------------------------------------------------------


async def test_a_person_saved_without_documents_is_incomplete_with_every_reason(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    headers, number = unit_headers("u-clerk"), an_id_number(dt.date(1980, 3, 9), seq=17)
    added = await add(roster, headers, name=" 王五 ", id_number=number.lower())
    assert added["name"] == "王五"
    assert added["unit_id"] == "u-clerk"
    assert (added["gender"], added["birth_date"]) == ("男", "1980-03-09")
    assert added["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert added["id_number"] is None
    assert added["source"] == "填报"
    assert added["complete"] is False
    assert [p["message"] for p in added["problems"]] == ["请上传职称证书", "请上传社保缴纳证明", "请上传身份证"]

    one = await roster.client.get(f"/persons/{added['id']}", headers=headers)
    assert one.status_code == 200
    assert one.json()["id_number"] == number
    listing = (await roster.client.get("/persons", headers=headers)).json()
    assert [item["id"] for item in listing["items"]] == [added["id"]]
    assert listing["items"][0]["id_number"] is None
    assert number not in json.dumps(listing)
    assert (listing["total"], listing["counted"]) == (1, 0)


async def test_attaching_the_documents_by_edit_makes_the_person_complete_and_counted(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    headers = unit_headers("u-complete")
    payload = a_person()
    added = await add(roster, headers, **payload)
    documents = await documents_of(roster, headers, *PERSON_DOCUMENTS)

    edited = await roster.client.put(
        f"/persons/{added['id']}", json=payload | {"documents": documents}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["complete"], body["problems"]) == (True, [])
    assert sorted(d["document_id"] for d in body["documents"]) == sorted(d["document_id"] for d in documents)
    assert body["created_at"] == added["created_at"]
    listing = (await roster.client.get("/persons", headers=headers)).json()
    assert (listing["items"][0]["complete"], listing["counted"]) == (True, 1)

    without_title = await roster.client.put(
        f"/persons/{added['id']}", json=payload | {"documents": documents[1:]}, headers=headers
    )
    assert [p["message"] for p in without_title.json()["problems"]] == ["请上传职称证书"]
    assert (await roster.client.get("/persons", headers=headers)).json()["counted"] == 0


async def test_the_list_pages_and_filters_and_counts_the_complete(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-list")
    documents = await documents_of(roster, headers, *PERSON_DOCUMENTS)
    made = [
        await add(roster, headers, name="赵一", documents=documents[:1]),
        await add(roster, headers, name="钱二", category="相关专业技术人员", title_level=None),
        await add(roster, headers, name="孙三", category="非专业技术人员", documents=documents[1:]),
        await add(roster, headers, name="李四", documents=documents),
        await add(roster, headers, name="赵五", category="非专业技术人员"),
    ]
    ids = [m["id"] for m in made]
    await add(roster, unit_headers("u-other"), name="赵六")

    async def listed(**params: Any) -> dict[str, Any]:
        answer = await roster.client.get("/persons", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    everyone = await listed()
    assert [i["id"] for i in everyone["items"]] == ids
    assert (everyone["total"], everyone["counted"], everyone["page"], everyone["page_size"]) == (5, 2, 1, 20)
    second = await listed(page=2, page_size=2)
    assert [i["id"] for i in second["items"]] == ids[2:4]
    assert (second["total"], second["counted"]) == (5, 2)
    assert (await listed(page=4, page_size=2))["items"] == []
    assert [i["id"] for i in (await listed(category="非专业技术人员"))["items"]] == [ids[2], ids[4]]
    assert [i["id"] for i in (await listed(q="赵"))["items"]] == [ids[0], ids[4]]
    assert [i["id"] for i in (await listed(complete="true"))["items"]] == [ids[2], ids[3]]
    incomplete = await listed(complete="false", page_size=1)
    assert ([i["id"] for i in incomplete["items"]], incomplete["total"], incomplete["counted"]) == ([ids[0]], 3, 2)


@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page_size": 0}, {"page_size": 501}, {"category": "专家"}, {"complete": "maybe"}]
)
async def test_bad_list_parameters_are_refused(roster: Roster, unit_headers: UnitHeaders, params: Any) -> None:
    answer = await roster.client.get("/persons", params=params, headers=unit_headers())
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_input"


# --- refusals ---------------------------------------------------------------------------------

REFUSALS = [
    ({"id_number": "110105850501123"}, "staffing.invalid_id_number", "$.id_number", "请填写18位身份证号"),
    ({"id_number": an_id_number(seq=4)[:17] + "Y"}, "staffing.invalid_id_number", "$.id_number", "应为18位"),
    ({"title_level": None}, "staffing.missing_field", "$.title_level", "测绘专业技术人员请填写职称等级"),
    ({"id_type": "护照", "id_number": "E1234567"}, "staffing.missing_field", "$.gender", "请填写性别"),
    ({"gender": "女", "id_number": an_id_number(seq=5)}, "staffing.invalid_field", "$.gender", "与证件号码不符"),
    ({"hired_on": "2999-01-01"}, "staffing.invalid_field", "$.hired_on", "不能晚于今天"),
    ({"name": ""}, "invalid_input", "$.name", ""),
    ({"category": "专家"}, "invalid_input", "$.category", ""),
    ({"title_level": "特级"}, "invalid_input", "$.title_level", ""),
    ({"birth_date": "1985-13-01"}, "invalid_input", "$.birth_date", ""),
    ({"nickname": "x"}, "invalid_input", "$.nickname", ""),
    ({"documents": [{"purpose": "营业执照", "document_id": str(uuid.uuid4())}]}, "staffing.invalid_field",
     "$.documents[0].purpose", "不是技术人员需要的材料类型"),
    ({"documents": [{"purpose": "身份证", "document_id": "not-an-id"}]}, "staffing.document_not_usable",
     "$.documents[0].document_id", "不存在或已删除"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "code", "field", "says"), REFUSALS, ids=[r[2] + " " + r[1] for r in REFUSALS])
async def test_a_bad_form_is_refused_naming_the_field(
    roster: Roster, unit_headers: UnitHeaders, change: dict[str, Any], code: str, field: str, says: str
) -> None:
    headers = unit_headers()
    payload = a_person() | change
    answer = await roster.client.post("/persons", json=payload, headers=headers)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == code
    fields = [d["field"] for d in body["details"]] if isinstance(body["details"], list) else [body["details"]["field"]]
    assert field in fields
    assert says in body["message"]
    assert (await roster.client.get("/persons", headers=headers)).json()["total"] == 0


async def test_a_document_of_another_unit_or_of_the_wrong_purpose_is_not_usable(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    mine, theirs = unit_headers("u-mine"), unit_headers("u-theirs")
    own = await roster.upload(mine, "身份证")
    foreign = await roster.upload(theirs, "身份证")
    certificate = await roster.upload(mine, "职称证书")
    cases = [
        (
            [{"purpose": "身份证", "document_id": own}, {"purpose": "身份证", "document_id": foreign}],
            1,
            "不存在或已删除",
        ),
        ([{"purpose": "身份证", "document_id": certificate}], 0, "材料类型是「职称证书」"),
        ([{"purpose": "身份证", "document_id": str(uuid.uuid4())}], 0, "不存在或已删除"),
    ]
    for documents, index, says in cases:
        answer = await roster.client.post("/persons", json=a_person(documents=documents), headers=mine)
        assert answer.status_code == 400, answer.text
        body = answer.json()
        assert body["code"] == "staffing.document_not_usable"
        assert body["details"] == {"field": f"$.documents[{index}].document_id"}
        assert says in body["message"]
    assert (await roster.client.get("/persons", headers=mine)).json()["total"] == 0


async def test_another_units_person_or_an_unknown_id_is_not_found(roster: Roster, unit_headers: UnitHeaders) -> None:
    owner, stranger = unit_headers("u-owner"), unit_headers("u-stranger")
    person = await add(roster, owner)
    for person_id in (person["id"], str(uuid.uuid4()), "not-a-uuid"):
        for method, body in (("GET", None), ("PUT", a_person()), ("DELETE", None)):
            answer = await roster.client.request(method, f"/persons/{person_id}", json=body, headers=stranger)
            assert answer.status_code == 404, (method, person_id, answer.text)
            assert answer.json()["code"] == "staffing.person_not_found"
    assert (await roster.client.get(f"/persons/{person['id']}", headers=owner)).status_code == 200


async def test_only_a_unit_may_use_persons(roster: Roster, sign: Callable[..., Headers]) -> None:
    authority = sign(role="authority", jurisdiction="110000", roles=("review",))
    for method, path in (("GET", "/persons"), ("POST", "/persons")):
        answer = await roster.client.request(method, path, json=a_person(), headers=authority)
        assert answer.status_code == 403


async def test_the_same_person_twice_is_a_conflict(roster: Roster, unit_headers: UnitHeaders) -> None:
    await roster.add_unit("u-holder", "北京测绘院")
    holder, other = unit_headers("u-holder"), unit_headers("u-other")
    number = an_id_number()
    await add(roster, holder, id_number=number)

    again = await roster.client.post("/persons", json=a_person(id_number=number), headers=holder)
    assert (again.status_code, again.json()["code"]) == (409, "staffing.person_already_listed")
    elsewhere = await roster.client.post("/persons", json=a_person(id_number=number.replace("X", "x")), headers=other)
    assert elsewhere.status_code == 409
    assert elsewhere.json() == {
        "code": "staffing.person_held_by_other_unit",
        "message": "该人员已在「北京测绘院」登记，请联系该单位删除该人员；无法解决时请联系主管部门协调解决。",
        "details": {"field": "$.id_number", "holder": "北京测绘院"},
    }


async def test_an_edit_to_a_number_held_elsewhere_is_a_conflict_and_changes_nothing(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    await roster.add_unit("u-first", "第一测绘队")
    first, second = unit_headers("u-first"), unit_headers("u-second")
    held, also_mine = an_id_number(), an_id_number()
    await add(roster, first, id_number=held)
    mine = await add(roster, second, name="周七")
    await add(roster, second, name="吴八", id_number=also_mine)

    taken = await roster.client.put(f"/persons/{mine['id']}", json=a_person(id_number=held), headers=second)
    assert taken.status_code == 409
    assert "「第一测绘队」" in taken.json()["message"]
    own = await roster.client.put(f"/persons/{mine['id']}", json=a_person(id_number=also_mine), headers=second)
    assert own.json()["code"] == "staffing.person_already_listed"
    unchanged = (await roster.client.get(f"/persons/{mine['id']}", headers=second)).json()
    assert (unchanged["name"], unchanged["updated_at"]) == ("周七", mine["updated_at"])

    renumbered = an_id_number()
    moved = await roster.client.put(f"/persons/{mine['id']}", json=a_person(id_number=renumbered), headers=second)
    assert moved.status_code == 200
    assert (await roster.client.get(f"/persons/{mine['id']}", headers=second)).json()["id_number"] == renumbered


# --- 移除 and the events -----------------------------------------------------------------------


async def test_remove_and_the_events_carry_ids_and_the_key_never_the_number_or_name(
    roster: Roster, unit_headers: UnitHeaders, protector: Protector
) -> None:
    headers, number = unit_headers("u-events"), an_id_number()
    person = await add(roster, headers, name="郑九", id_number=number)
    edited = await roster.client.put(
        f"/persons/{person['id']}",
        json=a_person(name="郑九", id_number=number, category="非专业技术人员"),
        headers=headers,
    )
    assert edited.status_code == 200
    removed = await roster.client.delete(f"/persons/{person['id']}", headers=headers)
    assert removed.status_code == 204
    assert (await roster.client.get(f"/persons/{person['id']}", headers=headers)).status_code == 404
    assert (await roster.client.delete(f"/persons/{person['id']}", headers=headers)).status_code == 404

    recorded = await outbox(roster)
    assert [subject for subject, _ in recorded] == [
        "qual.staffing.person_added.v1",
        "qual.staffing.person_updated.v1",
        "qual.staffing.person_removed.v1",
    ]
    keys = {payload["person_key"] for _, payload in recorded}
    assert keys == {protector.identity("居民身份证", number).hex()}
    for _, payload in recorded:
        assert (payload["person_id"], payload["aggregate_id"], payload["unit_id"]) == (
            person["id"],
            person["id"],
            "u-events",
        )
        assert number not in json.dumps(payload) and "郑九" not in json.dumps(payload, ensure_ascii=False)
    assert recorded[0][1]["source"] == "填报"
    assert (recorded[0][1]["category"], recorded[1][1]["category"]) == ("测绘专业技术人员", "非专业技术人员")
