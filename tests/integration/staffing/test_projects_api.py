"""测绘业绩 over HTTP on real PostgreSQL, with the real documents and standards services: 添加 /
list / one / 编辑 / 删除, the 专业类别 of the standard in force, 合同金额 in 万元 (two decimals,
shown as a decimal string), the dates, completeness by 项目合同 and 验收证明, and the events."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from services.staffing import clock
from tests.builders.staffing import a_project

from .conftest import Headers, Roster

UnitHeaders = Callable[..., Headers]
TODAY = clock.today()
"""The service's day (Beijing time)."""


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


async def add(roster: Roster, headers: Headers, **overrides: Any) -> dict[str, Any]:
    answer = await roster.client.post("/projects", json=a_project(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def documents_of(roster: Roster, headers: Headers, *purposes: str) -> list[dict[str, str]]:
    return [{"purpose": p, "document_id": await roster.upload(headers, p)} for p in purposes]


async def listing(roster: Roster, headers: Headers, **params: Any) -> dict[str, Any]:
    answer = await roster.client.get("/projects", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_project_without_documents_is_saved_incomplete(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-clerk")
    added = await add(roster, headers, amount_wan=88.8, name=" 某县不动产测绘 ")
    assert (added["amount_wan"], added["name"], added["unit_id"], added["category"]) == (
        "88.80",
        "某县不动产测绘",
        "u-clerk",
        "工程测量",
    )
    assert added["complete"] is False
    assert [p["message"] for p in added["problems"]] == ["请上传项目合同", "请上传验收证明"]
    one = await roster.client.get(f"/projects/{added['id']}", headers=headers)
    assert (one.status_code, one.json()) == (200, added)
    page = await listing(roster, headers)
    assert ([p["id"] for p in page["items"]], page["total"], page["counted"]) == ([added["id"]], 1, 0)


async def test_with_its_contract_and_acceptance_it_counts(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-complete")
    contract = await documents_of(roster, headers, "项目合同")
    added = await add(roster, headers, documents=contract)
    assert [p["message"] for p in added["problems"]] == ["请上传验收证明"]
    both = contract + await documents_of(roster, headers, "验收证明")
    edited = await roster.client.put(f"/projects/{added['id']}", json=a_project(documents=both), headers=headers)
    assert (edited.status_code, edited.json()["complete"]) == (200, True)
    assert (await listing(roster, headers))["counted"] == 1
    stored = await _stored_amount(roster, added["id"])
    assert stored == Decimal("120.50")


@pytest.mark.parametrize(
    ("typed", "shown"), [("120.5", "120.50"), (1, "1.00"), ("0.01", "0.01"), ("100000000", "100000000.00")]
)
async def test_the_amount_is_kept_to_the_cent_and_shown_as_a_decimal_string(
    roster: Roster, unit_headers: UnitHeaders, typed: Any, shown: str
) -> None:
    assert (await add(roster, unit_headers(), amount_wan=typed))["amount_wan"] == shown


@pytest.mark.parametrize(
    ("change", "code", "field", "says"),
    [
        ({"amount_wan": "1.234"}, "staffing.invalid_amount", "$.amount_wan", "最多保留两位小数"),
        ({"amount_wan": 0}, "staffing.invalid_field", "$.amount_wan", "应大于0"),
        ({"amount_wan": "-5"}, "staffing.invalid_field", "$.amount_wan", "应大于0"),
        ({"amount_wan": "100000000.01"}, "staffing.invalid_field", "$.amount_wan", "不能超过"),
        ({"amount_wan": "NaN"}, "staffing.invalid_field", "$.amount_wan", ""),
        ({"amount_wan": "十万"}, "invalid_input", "$.amount_wan", ""),
        (
            {"category": "测绘工程"},
            "staffing.unknown_vocabulary",
            "$.category",
            "专业类别「测绘工程」不在现行资质标准中",
        ),
        ({"signed_on": "FUTURE", "completed_on": "FUTURE"}, "staffing.invalid_field", "$.signed_on", "不能晚于今天"),
        ({"completed_on": "FUTURE"}, "staffing.invalid_field", "$.completed_on", "不能晚于今天"),
        (
            {"signed_on": "2024-03-02", "completed_on": "2024-03-01"},
            "staffing.invalid_field",
            "$.completed_on",
            "不能早于合同签订日期",
        ),
        ({"client": " "}, "staffing.missing_field", "$.client", "请填写委托单位"),
        ({"name": "项" * 201}, "invalid_input", "$.name", ""),
        ({"signed_on": None}, "invalid_input", "$.signed_on", ""),
        (
            {"documents": [{"purpose": "检定证书", "document_id": str(uuid.uuid4())}]},
            "staffing.invalid_field",
            "$.documents[0].purpose",
            "不是测绘业绩需要的材料类型",
        ),
    ],
)
async def test_a_bad_form_is_refused_naming_the_field(
    roster: Roster, unit_headers: UnitHeaders, change: dict[str, Any], code: str, field: str, says: str
) -> None:
    headers = unit_headers()
    change = {key: days(2) if value == "FUTURE" else value for key, value in change.items()}
    answer = await roster.client.post("/projects", json=a_project() | change, headers=headers)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == code
    details = body["details"]
    fields = [d["field"] for d in details] if isinstance(details, list) else [details["field"]]
    assert field in fields
    assert says in body["message"]
    assert (await listing(roster, headers))["total"] == 0


async def test_completed_today_and_signed_the_same_day_is_accepted(roster: Roster, unit_headers: UnitHeaders) -> None:
    added = await add(roster, unit_headers(), signed_on=days(0), completed_on=days(0))
    assert added["completed_on"] == days(0)


async def test_list_pages_and_filters_and_counts_the_whole_record(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-lists")
    documents = await documents_of(roster, headers, "项目合同", "验收证明")
    surveys = [await add(roster, headers, category="大地测量", documents=documents) for _ in range(2)]
    works = [await add(roster, headers) for _ in range(3)]
    everyone = [p["id"] for p in surveys + works]

    pages = [await listing(roster, headers, page=n, page_size=2) for n in (1, 2, 3)]
    assert [p["id"] for page in pages for p in page["items"]] == everyone
    assert {(page["total"], page["counted"]) for page in pages} == {(5, 2)}
    by_category = await listing(roster, headers, category="工程测量")
    assert ([p["id"] for p in by_category["items"]], by_category["counted"]) == (everyone[2:], 2)
    assert [p["id"] for p in (await listing(roster, headers, complete="true"))["items"]] == everyone[:2]
    assert (await listing(roster, headers, category="工程测量", complete="true"))["total"] == 0
    for params in ({"page": 0}, {"page_size": 501}, {"complete": "perhaps"}):
        assert (await roster.client.get("/projects", params=params, headers=headers)).status_code == 400


async def test_another_units_project_or_an_unknown_id_is_not_found(roster: Roster, unit_headers: UnitHeaders) -> None:
    owner, stranger = unit_headers("u-owner"), unit_headers("u-stranger")
    project = await add(roster, owner)
    for project_id in (project["id"], str(uuid.uuid4()), "not-a-uuid"):
        for method, body in (("GET", None), ("PUT", a_project()), ("DELETE", None)):
            answer = await roster.client.request(method, f"/projects/{project_id}", json=body, headers=stranger)
            assert answer.status_code == 404, (method, project_id, answer.text)
            assert answer.json()["code"] == "staffing.project_not_found"
    assert (await roster.client.get(f"/projects/{project['id']}", headers=owner)).json() == project


async def test_only_a_unit_may_use_projects(roster: Roster, sign: Callable[..., Headers]) -> None:
    authority = sign(role="authority", jurisdiction="110000", roles=("review",))
    for method, path in (("GET", "/projects"), ("POST", "/projects"), ("DELETE", f"/projects/{uuid.uuid4()}")):
        answer = await roster.client.request(method, path, json=a_project(), headers=authority)
        assert (answer.status_code, answer.json()["code"]) == (403, "unit_only")


async def test_an_edit_keeps_the_project_and_a_removal_deletes_it(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-edit")
    documents = await documents_of(roster, headers, "项目合同")
    added = await add(roster, headers, documents=documents)
    edited = await roster.client.put(
        f"/projects/{added['id']}", json=a_project(category="海洋测绘", amount_wan="9.9"), headers=headers
    )
    body = edited.json()
    assert (body["id"], body["category"], body["amount_wan"], body["documents"]) == (
        added["id"],
        "海洋测绘",
        "9.90",
        [],
    )
    assert (body["created_at"], body["updated_at"] > added["updated_at"]) == (added["created_at"], True)
    gone = await roster.client.delete(f"/projects/{added['id']}", headers=headers)
    assert gone.status_code == 204
    assert (await roster.client.get(f"/projects/{added['id']}", headers=headers)).status_code == 404
    assert (await listing(roster, headers))["total"] == 0


async def test_added_updated_and_removed_are_told(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-events")
    added = await add(roster, headers)
    await roster.client.put(f"/projects/{added['id']}", json=a_project(category="地图编制"), headers=headers)
    await roster.client.delete(f"/projects/{added['id']}", headers=headers)
    conn = await roster.db()
    try:
        rows = await conn.fetch("SELECT subject, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id", added["id"])
    finally:
        await conn.close()
    told = [(row["subject"], json.loads(bytes(row["payload"]))) for row in rows]
    assert [subject for subject, _ in told] == [
        "qual.staffing.project_added.v1",
        "qual.staffing.project_updated.v1",
        "qual.staffing.project_removed.v1",
    ]
    assert [(p["unit_id"], p["project_id"], p["category"]) for _, p in told] == [
        ("u-events", added["id"], "工程测量"),
        ("u-events", added["id"], "地图编制"),
        ("u-events", added["id"], "地图编制"),
    ]
    assert "某市" not in json.dumps([p for _, p in told], ensure_ascii=False)  # names stay in the service


async def _stored_amount(roster: Roster, project_id: str) -> Decimal:
    conn = await roster.db()
    try:
        amount: Decimal = await conn.fetchval("SELECT amount_wan FROM projects WHERE id = $1", uuid.UUID(project_id))
    finally:
        await conn.close()
    return amount
