"""协调 over HTTP: an authority covering the holding unit releases a person or an instrument, the
release is recorded for the holder to see, and another unit may then register it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from services.staffing.protection import Protector
from tests.builders.staffing import a_person, an_id_number

from .conftest import Headers, Roster
from .roster_rows import insert_instrument

UnitHeaders = Callable[..., Headers]
Sign = Callable[..., Headers]
BEIJING_CODE = "91110105MA01ABCD1X"
TIANJIN_CODE = "91120000MA01ABCD1X"
_VALID = an_id_number()
WRONG_CHECK = _VALID[:17] + ("0" if _VALID[17] != "0" else "1")


@pytest.fixture
def beijing(sign: Sign) -> Headers:
    return sign(role="authority", jurisdiction="110000", username="bj-reviewer")


async def a_held_person(roster: Roster, unit_headers: UnitHeaders, unit_id: str, name: str) -> dict[str, Any]:
    await roster.add_unit(unit_id, name, BEIJING_CODE)
    added = await roster.client.post("/persons", json=a_person(name="张三"), headers=unit_headers(unit_id))
    assert added.status_code == 201, added.text
    person: dict[str, Any] = (
        await roster.client.get(f"/persons/{added.json()['id']}", headers=unit_headers(unit_id))
    ).json()
    return person


async def fetch(roster: Roster, query: str, *args: Any) -> list[dict[str, Any]]:
    conn = await roster.db()
    try:
        return [dict(row) for row in await conn.fetch(query, *args)]
    finally:
        await conn.close()


async def test_a_covering_authority_releases_a_person_for_another_unit(
    roster: Roster, unit_headers: UnitHeaders, beijing: Headers, protector: Protector
) -> None:
    person = await a_held_person(roster, unit_headers, "u-holder", "北京某测绘公司")
    number = person["id_number"]
    newcomer = unit_headers("u-newcomer")
    held = await roster.client.post("/persons", json=a_person(id_number=number), headers=newcomer)
    assert held.status_code == 409

    body = {"kind": "person", "reason": "该人员已离职，原单位无法联系", "id_number": number.lower()}
    answer = await roster.client.post("/releases", json=body, headers=beijing)
    assert answer.status_code == 201, answer.text
    release = answer.json()
    assert (release["kind"], release["unit_id"], release["unit_name"]) == ("person", "u-holder", "北京某测绘公司")
    assert release["subject"] == f"张三 {person['id_number_masked']}"
    assert (release["reason"], release["released_by"], release["jurisdiction"]) == (
        body["reason"],
        "bj-reviewer",
        "110000",
    )

    assert await fetch(roster, "SELECT 1 FROM persons WHERE id = $1::uuid", person["id"]) == []
    events = await fetch(roster, "SELECT payload FROM outbox WHERE subject = 'qual.staffing.person_released.v1'")
    (payload,) = [json.loads(bytes(event["payload"])) for event in events]
    assert payload["person_key"] == protector.identity("居民身份证", number).hex()
    assert payload["release_id"] == release["id"]
    assert number not in json.dumps(payload) and "张三" not in json.dumps(payload)

    seen = await roster.client.get("/releases", headers=unit_headers("u-holder"))
    assert [item["id"] for item in seen.json()["items"]] == [release["id"]]
    again = await roster.client.post("/persons", json=a_person(id_number=number), headers=newcomer)
    assert again.status_code == 201, again.text


async def test_an_instrument_is_found_by_its_normalised_serial(
    roster: Roster, beijing: Headers, unit_headers: UnitHeaders
) -> None:
    await roster.add_unit("u-kit", "北京仪器公司", BEIJING_CODE)
    conn = await roster.db()
    try:
        instrument_id = await insert_instrument(conn, "u-kit", kind="全站仪", serial="TS16-0042 A")
    finally:
        await conn.close()
    body = {"kind": "equipment", "reason": "设备已转让", "equipment_type": "全站仪", "serial": " ｔｓ16-0042  a "}
    answer = await roster.client.post("/releases", json=body, headers=beijing)
    assert answer.status_code == 201, answer.text
    assert answer.json()["subject"] == "全站仪 TS16-0042 A"
    assert await fetch(roster, "SELECT 1 FROM equipment WHERE id = $1", instrument_id) == []
    assert await fetch(roster, "SELECT 1 FROM attachments WHERE owner_id = $1", instrument_id) == []
    events = await fetch(
        roster, "SELECT aggregate_id FROM outbox WHERE subject = 'qual.staffing.equipment_released.v1'"
    )
    assert events == [{"aggregate_id": str(instrument_id)}]
    listed = await roster.client.get("/releases", headers=unit_headers("u-kit"))
    assert listed.json()["total"] == 1


async def test_an_authority_of_another_province_is_refused(
    roster: Roster, unit_headers: UnitHeaders, sign: Sign
) -> None:
    person = await a_held_person(roster, unit_headers, "u-guarded", "北京测绘院")
    tianjin = sign(role="authority", jurisdiction="120000")
    body = {"kind": "person", "reason": "协调", "id_number": person["id_number"]}
    answer = await roster.client.post("/releases", json=body, headers=tianjin)
    assert answer.status_code == 403
    assert answer.json()["code"] == "staffing.outside_jurisdiction"
    assert len(await fetch(roster, "SELECT 1 FROM persons WHERE id = $1::uuid", person["id"])) == 1
    assert (await roster.client.get("/releases", headers=tianjin)).json()["total"] == 0


async def test_a_unit_may_not_release(roster: Roster, unit_headers: UnitHeaders) -> None:
    person = await a_held_person(roster, unit_headers, "u-victim", "北京甲公司")
    body = {"kind": "person", "reason": "想要此人", "id_number": person["id_number"]}
    answer = await roster.client.post("/releases", json=body, headers=unit_headers("u-rival"))
    assert answer.status_code == 403
    assert answer.json()["code"] == "authority_only"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "person", "reason": "协调", "id_number": an_id_number()},
        {"kind": "equipment", "reason": "协调", "equipment_type": "全站仪", "serial": "NOBODY-1"},
    ],
    ids=["person", "instrument"],
)
async def test_nobody_holds_it(roster: Roster, beijing: Headers, body: dict[str, str]) -> None:
    answer = await roster.client.post("/releases", json=body, headers=beijing)
    assert answer.status_code == 404
    assert answer.json()["code"] == "staffing.not_registered"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"kind": "person", "reason": "协调", "id_number": WRONG_CHECK}, "staffing.invalid_id_number", "$.id_number"),
        ({"kind": "person", "reason": "协调"}, "staffing.missing_field", "$.id_number"),
        ({"kind": "equipment", "reason": "协调", "serial": "A1"}, "staffing.missing_field", "$.equipment_type"),
        ({"kind": "equipment", "reason": "协调", "equipment_type": "全站仪"}, "staffing.missing_field", "$.serial"),
        ({"kind": "person", "id_number": "1"}, "invalid_input", "$.reason"),
        ({"kind": "someone", "reason": "协调"}, "invalid_input", "$.kind"),
    ],
)
async def test_a_bad_request_names_the_field(
    roster: Roster, beijing: Headers, body: dict[str, str], code: str, field: str
) -> None:
    answer = await roster.client.post("/releases", json=body, headers=beijing)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code
    assert field in answer.text


async def test_releases_are_listed_newest_first_within_the_jurisdiction(
    roster: Roster, beijing: Headers, sign: Sign, unit_headers: UnitHeaders
) -> None:
    await roster.add_unit("u-bj", "北京乙公司", BEIJING_CODE)
    await roster.add_unit("u-tj", "天津丙公司", TIANJIN_CODE)
    conn = await roster.db()
    try:
        serials = [f"LIST-{n}" for n in range(3)]
        for serial in serials:
            await insert_instrument(conn, "u-bj", serial=serial)
        await insert_instrument(conn, "u-tj", serial="LIST-TJ")
    finally:
        await conn.close()
    for serial in serials:
        body = {"kind": "equipment", "reason": "协调", "equipment_type": "全站仪", "serial": serial}
        assert (await roster.client.post("/releases", json=body, headers=beijing)).status_code == 201
    tianjin = sign(role="authority", jurisdiction="120000")
    body = {"kind": "equipment", "reason": "协调", "equipment_type": "全站仪", "serial": "LIST-TJ"}
    assert (await roster.client.post("/releases", json=body, headers=tianjin)).status_code == 201

    page = (await roster.client.get("/releases?page=1&page_size=2", headers=beijing)).json()
    assert [item["subject"] for item in page["items"]] == ["全站仪 LIST-2", "全站仪 LIST-1"]
    assert (page["total"], page["page"], page["page_size"]) == (3, 1, 2)
    rest = (await roster.client.get("/releases?page=2&page_size=2", headers=beijing)).json()
    assert [item["subject"] for item in rest["items"]] == ["全站仪 LIST-0"]
    national = (await roster.client.get("/releases", headers=sign(role="admin", jurisdiction="000000"))).json()
    assert national["total"] == 4
    district = (await roster.client.get("/releases", headers=sign(role="authority", jurisdiction="110108"))).json()
    assert district["total"] == 0  # the replica knows units by province: a district covers none
    assert (await roster.client.get("/releases", headers=unit_headers("u-tj"))).json()["total"] == 1
    assert (await roster.client.get("/releases", headers=unit_headers("u-nobody"))).json()["total"] == 0


async def test_a_holder_unknown_to_the_replica_is_released_only_by_the_national_authority(
    roster: Roster, unit_headers: UnitHeaders, beijing: Headers, sign: Sign
) -> None:
    number = an_id_number()
    added = await roster.client.post("/persons", json=a_person(id_number=number), headers=unit_headers("u-unknown"))
    assert added.status_code == 201, added.text
    body = {"kind": "person", "reason": "原单位已注销", "id_number": number}

    refused = await roster.client.post("/releases", json=body, headers=beijing)
    national = await roster.client.post("/releases", json=body, headers=sign(role="authority", jurisdiction="000000"))

    assert (refused.status_code, refused.json()["code"]) == (403, "staffing.outside_jurisdiction")
    assert national.status_code == 201, national.text
    assert national.json()["unit_id"] == "u-unknown"
