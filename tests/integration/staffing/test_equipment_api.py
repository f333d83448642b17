"""技术装备 over HTTP on real PostgreSQL, with the real documents and standards services: 添加 /
list / one / 编辑 / 删除, every refusal naming its field, the 设备类型 of the standard in force,
completeness with a valid 检定/校准, the events in the outbox (read from the table), and a 502
while the standards service is down. The one-unit-at-a-time rule: test_equipment_conflicts.py."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from deploy.local.components import free_port
from services.kernel import BaseSettings, generate_keypair
from services.staffing import clock
from services.staffing.app import create_app as create_staffing
from services.staffing.settings import StaffingSettings
from tests.builders.staffing import a_project, an_instrument
from tests.fixtures.apps import client_of, started

from .conftest import Headers, Roster

UnitHeaders = Callable[..., Headers]
TODAY = clock.today()
"""The service's day (Beijing time)."""


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


async def add(roster: Roster, headers: Headers, **overrides: Any) -> dict[str, Any]:
    answer = await roster.client.post("/equipment", json=an_instrument(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def documents_of(roster: Roster, headers: Headers, *purposes: str) -> list[dict[str, str]]:
    return [{"purpose": p, "document_id": await roster.upload(headers, p)} for p in purposes]


async def listing(roster: Roster, headers: Headers, **params: Any) -> dict[str, Any]:
    answer = await roster.client.get("/equipment", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def outbox(roster: Roster) -> list[tuple[str, dict[str, Any]]]:
    conn = await roster.db()
    try:
        rows = await conn.fetch("SELECT subject, payload FROM outbox ORDER BY id")
    finally:
        await conn.close()
    return [(row["subject"], json.loads(bytes(row["payload"]))) for row in rows]


# --- 添加, one, list, completeness --------------------------------------------------------------


async def test_an_instrument_without_documents_is_saved_incomplete_with_every_reason(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    headers = unit_headers("u-clerk")
    added = await add(roster, headers, serial=" ｓｎ－２０２５－００１ ", brand=" 徕卡 ")
    assert (added["serial"], added["brand"], added["unit_id"], added["type"]) == (
        "SN-2025-001",
        "徕卡",
        "u-clerk",
        "全站仪",
    )
    assert added["complete"] is False
    assert [p["message"] for p in added["problems"]] == ["请上传检定证书", "请上传购置发票"]
    assert added["documents"] == []

    one = await roster.client.get(f"/equipment/{added['id']}", headers=headers)
    assert (one.status_code, one.json()) == (200, added)
    page = await listing(roster, headers)
    assert [item["id"] for item in page["items"]] == [added["id"]]
    assert (page["total"], page["counted"], page["page"], page["page_size"]) == (1, 0, 1, 20)


async def test_with_its_documents_and_a_valid_calibration_it_counts(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-complete")
    documents = await documents_of(roster, headers, "检定证书", "购置发票")
    added = await add(roster, headers, documents=documents)
    assert (added["complete"], added["problems"]) == (True, [])
    assert {d["purpose"] for d in added["documents"]} == {"购置发票", "检定证书"}
    assert (await listing(roster, headers))["counted"] == 1


async def test_an_expired_calibration_makes_the_instrument_not_counted(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    headers = unit_headers("u-expired")
    documents = await documents_of(roster, headers, "检定证书", "购置发票")
    valid = await add(roster, headers, documents=documents)
    expired = await add(roster, headers, documents=documents, calibration_valid_until=days(-1))
    missing = await add(roster, headers, documents=documents, calibration_valid_until=None)
    assert [p["code"] for p in expired["problems"]] == ["calibration_expired"]
    assert [p["code"] for p in missing["problems"]] == ["calibration_missing"]
    page = await listing(roster, headers)
    assert (page["total"], page["counted"]) == (3, 1)
    assert [item["id"] for item in (await listing(roster, headers, complete="true"))["items"]] == [valid["id"]]

    renewed = an_instrument(serial=expired["serial"], documents=documents, calibration_valid_until=days(30))
    answer = await roster.client.put(f"/equipment/{expired['id']}", json=renewed, headers=headers)
    assert (answer.status_code, answer.json()["complete"]) == (200, True)
    assert (await listing(roster, headers))["counted"] == 2


async def test_software_counts_without_a_calibration(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-software")
    documents = await documents_of(roster, headers, "购置发票")
    added = await add(roster, headers, type="地理信息处理软件", calibration_valid_until=None, documents=documents)
    assert (added["complete"], (await listing(roster, headers))["counted"]) == (True, 1)


async def test_list_pages_and_filters_and_counts_the_whole_roster(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-lists")
    documents = await documents_of(roster, headers, "检定证书", "购置发票")
    levels = [await add(roster, headers, type="水准仪", documents=documents) for _ in range(3)]
    stations = [await add(roster, headers) for _ in range(2)]
    everyone = [e["id"] for e in levels + stations]

    first = await listing(roster, headers, page_size=2)
    second = await listing(roster, headers, page_size=2, page=2)
    third = await listing(roster, headers, page_size=2, page=3)
    assert [e["id"] for e in first["items"] + second["items"] + third["items"]] == everyone
    assert (first["total"], first["counted"], third["page"]) == (5, 3, 3)
    assert (await listing(roster, headers, page=4, page_size=2))["items"] == []

    by_type = await listing(roster, headers, type="全站仪")
    assert ([e["id"] for e in by_type["items"]], by_type["total"], by_type["counted"]) == (everyone[3:], 2, 3)
    incomplete = await listing(roster, headers, complete="false")
    assert [e["id"] for e in incomplete["items"]] == everyone[3:]
    both = await listing(roster, headers, type="水准仪", complete="false")
    assert (both["items"], both["total"]) == ([], 0)
    assert (await listing(roster, headers, page_size=500))["total"] == 5


@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page_size": 0}, {"page_size": 501}, {"complete": "maybe"}, {"page": "x"}]
)
async def test_bad_list_parameters_are_refused(roster: Roster, unit_headers: UnitHeaders, params: Any) -> None:
    answer = await roster.client.get("/equipment", params=params, headers=unit_headers())
    assert answer.status_code == 400, answer.text


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "field", "says"),
    [
        ({"type": "经纬仪"}, "staffing.unknown_vocabulary", "$.type", "设备类型「经纬仪」不在现行资质标准中"),
        ({"purchased_on": "FUTURE"}, "staffing.invalid_field", "$.purchased_on", "购置日期不能晚于今天"),
        (
            {"purchased_on": "2024-05-02", "calibration_valid_until": "2024-05-01"},
            "staffing.invalid_field",
            "$.calibration_valid_until",
            "不能早于购置日期",
        ),
        ({"serial": "  "}, "staffing.missing_field", "$.serial", "请填写出厂编号"),
        ({"serial": ""}, "invalid_input", "$.serial", ""),
        ({"serial": "S" * 65}, "invalid_input", "$.serial", ""),
        ({"brand": None}, "invalid_input", "$.brand", ""),
        ({"purchased_on": "2024-02-30"}, "invalid_input", "$.purchased_on", ""),
        ({"colour": "红"}, "invalid_input", "$.colour", ""),
        (
            {"documents": [{"purpose": "职称证书", "document_id": str(uuid.uuid4())}]},
            "staffing.invalid_field",
            "$.documents[0].purpose",
            "不是技术装备需要的材料类型",
        ),
        (
            {"documents": [{"purpose": "检定证书", "document_id": str(uuid.uuid4())}]},
            "staffing.document_not_usable",
            "$.documents[0].document_id",
            "不存在或已删除",
        ),
    ],
)
async def test_a_bad_form_is_refused_naming_the_field(
    roster: Roster, unit_headers: UnitHeaders, change: dict[str, Any], code: str, field: str, says: str
) -> None:
    headers = unit_headers()
    if change.get("purchased_on") == "FUTURE":
        change = {"purchased_on": days(2), "calibration_valid_until": days(400)}
    answer = await roster.client.post("/equipment", json=an_instrument() | change, headers=headers)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == code
    details = body["details"]
    fields = [d["field"] for d in details] if isinstance(details, list) else [details["field"]]
    assert field in fields
    assert says in body["message"]
    assert (await listing(roster, headers))["total"] == 0


async def test_a_document_of_another_unit_or_purpose_is_not_usable(roster: Roster, unit_headers: UnitHeaders) -> None:
    mine, theirs = unit_headers("u-mine"), unit_headers("u-theirs")
    foreign = await roster.upload(theirs, "检定证书")
    invoice = await roster.upload(mine, "购置发票")
    for documents, says in (
        ([{"purpose": "检定证书", "document_id": foreign}], "不存在或已删除"),
        ([{"purpose": "检定证书", "document_id": invoice}], "材料类型是「购置发票」"),
    ):
        answer = await roster.client.post("/equipment", json=an_instrument(documents=documents), headers=mine)
        assert (answer.status_code, answer.json()["code"]) == (400, "staffing.document_not_usable")
        assert says in answer.json()["message"]


async def test_another_units_instrument_or_an_unknown_id_is_not_found(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    owner, stranger = unit_headers("u-owner"), unit_headers("u-stranger")
    instrument = await add(roster, owner)
    for equipment_id in (instrument["id"], str(uuid.uuid4()), "not-a-uuid"):
        for method, body in (("GET", None), ("PUT", an_instrument()), ("DELETE", None)):
            answer = await roster.client.request(method, f"/equipment/{equipment_id}", json=body, headers=stranger)
            assert answer.status_code == 404, (method, equipment_id, answer.text)
            assert answer.json()["code"] == "staffing.equipment_not_found"
    assert (await roster.client.get(f"/equipment/{instrument['id']}", headers=owner)).json() == instrument


async def test_only_a_unit_may_use_equipment(roster: Roster, sign: Callable[..., Headers]) -> None:
    authority = sign(role="authority", jurisdiction="110000", roles=("review",))
    for method, path in (("GET", "/equipment"), ("POST", "/equipment"), ("GET", f"/equipment/{uuid.uuid4()}")):
        answer = await roster.client.request(method, path, json=an_instrument(), headers=authority)
        assert (answer.status_code, answer.json()["code"]) == (403, "unit_only")


# --- events -----------------------------------------------------------------------------------


async def test_added_updated_and_removed_are_told(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-events")
    added = await add(roster, headers)
    await roster.client.put(f"/equipment/{added['id']}", json=an_instrument(type="水准仪"), headers=headers)
    await roster.client.delete(f"/equipment/{added['id']}", headers=headers)

    told = [(subject, payload) for subject, payload in await outbox(roster) if payload["aggregate_id"] == added["id"]]
    assert [subject for subject, _ in told] == [
        "qual.staffing.equipment_added.v1",
        "qual.staffing.equipment_updated.v1",
        "qual.staffing.equipment_removed.v1",
    ]
    assert [(p["unit_id"], p["equipment_id"], p["equipment_type"]) for _, p in told] == [
        ("u-events", added["id"], "全站仪"),
        ("u-events", added["id"], "水准仪"),
        ("u-events", added["id"], "水准仪"),
    ]


async def test_a_refused_write_tells_nothing(roster: Roster, unit_headers: UnitHeaders) -> None:
    first, second = unit_headers("u-a"), unit_headers("u-b")
    await add(roster, first, serial="ONCE")
    before = len(await outbox(roster))
    await roster.client.post("/equipment", json=an_instrument(serial="ONCE"), headers=second)
    await roster.client.post("/equipment", json=an_instrument(type="经纬仪"), headers=second)
    assert len(await outbox(roster)) == before


# --- the standards service down -----------------------------------------------------------------


async def test_with_the_standards_service_down_an_add_is_a_502_and_nothing_is_stored(
    settings_for: Callable[..., BaseSettings], unit_headers: UnitHeaders
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = settings_for(
        StaffingSettings,
        service="staffing",
        internal_token_private_key=generate_keypair()[0],
        service_urls={"documents": nowhere, "standards": nowhere},
    )
    app = create_staffing(settings)
    headers = unit_headers("u-offline")
    async with started(app), client_of(app) as client:
        for path, payload in (("/equipment", an_instrument()), ("/projects", a_project())):
            answer = await client.post(path, json=payload, headers=headers)
            assert (answer.status_code, answer.json()["code"]) == (502, "upstream_unavailable"), answer.text
            listed = await client.get(path, headers=headers)
            assert (listed.status_code, listed.json()["total"]) == (200, 0)
