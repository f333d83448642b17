"""人员基本信息转移 (manual 5.5.1): the 老人老办法 persons a unit ticks become its persons, incomplete
until their documents are attached; one held by another unit is refused by name, another unit's
row or one already transferred is not found. Legacy rows are written here with SQL, sealed with
the session's keys, as the loader leaves them."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from services.staffing.protection import Protector
from services.staffing.rules import mask_id_number
from tests.builders.staffing import a_person, an_id_number

from .conftest import Headers, Roster

UnitHeaders = Callable[..., Headers]
OURS, THEIRS = "91110000MA01LEGA1X", "91440000MA02LEGB2Y"
NOT_FOUND = {"code": "staffing.legacy_person_not_found", "message": "未找到该人员，或已转移", "name": ""}


async def a_legacy_person(
    roster: Roster, protector: Protector, *, credit_code: str, name: str, number: str | None = None, **columns: Any
) -> tuple[str, str]:
    """A row of the old system's export; its id and its number."""
    number = number or an_id_number(dt.date(1970, 2, 3))
    facts = {"category": "测绘专业技术人员", "title_level": "高级", "gender": "男", "birth_date": dt.date(1970, 2, 3)}
    facts |= columns
    legacy_id = uuid.uuid4()
    conn = await roster.db()
    try:
        await conn.execute(
            """INSERT INTO legacy_persons (id, load_id, line, credit_code, name, id_type, id_number_enc,
                   id_number_hash, id_number_masked, gender, birth_date, category, title_level, major)
               VALUES ($1, $2, 2, $3, $4, '居民身份证', $5, $6, $7, $8, $9, $10, $11, '测绘工程')""",
            *(legacy_id, uuid.uuid4(), credit_code, name, protector.seal_text(number)),
            *(protector.identity("居民身份证", number), mask_id_number(number), facts["gender"], facts["birth_date"]),
            *(facts["category"], facts["title_level"]),
        )
    finally:
        await conn.close()
    return str(legacy_id), number


async def transfer(roster: Roster, headers: Headers, *ids: str) -> dict[str, Any]:
    answer = await roster.client.post("/legacy/transfers", json={"ids": list(ids)}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def transferred_ids(roster: Roster) -> set[str]:
    conn = await roster.db()
    try:
        rows = await conn.fetch("SELECT id FROM legacy_persons WHERE transferred_at IS NOT NULL")
    finally:
        await conn.close()
    return {str(row["id"]) for row in rows}


async def test_ticked_persons_are_transferred_and_the_conflicting_one_refused_by_name(
    roster: Roster, unit_headers: UnitHeaders, protector: Protector
) -> None:
    await roster.add_unit("u-ours", "甲测绘院", OURS)
    await roster.add_unit("u-theirs", "乙测绘院", THEIRS)
    ours, theirs = unit_headers("u-ours"), unit_headers("u-theirs")
    first, first_number = await a_legacy_person(roster, protector, credit_code=OURS, name="陈一")
    second, _ = await a_legacy_person(
        roster, protector, credit_code=OURS, name="陈二", category="相关专业技术人员", title_level=None, gender="女"
    )
    held, held_number = await a_legacy_person(roster, protector, credit_code=OURS, name="陈三")
    assert (
        await roster.client.post("/persons", json=a_person(id_number=held_number), headers=theirs)
    ).status_code == 201
    unticked, _ = await a_legacy_person(roster, protector, credit_code=OURS, name="陈四")
    foreign, _ = await a_legacy_person(roster, protector, credit_code=THEIRS, name="林五")
    unknown = str(uuid.uuid4())

    result = await transfer(roster, ours, first, second, held, foreign, unknown, "not-an-id")

    moved = result["transferred"]
    assert [p["name"] for p in moved] == ["陈一", "陈二"]
    assert {p["source"] for p in moved} == {"老人老办法"}
    assert [p["category"] for p in moved] == ["测绘专业技术人员", "相关专业技术人员"]
    assert [(p["gender"], p["unit_id"], p["complete"], p["documents"]) for p in moved] == [
        ("男", "u-ours", False, []),
        ("女", "u-ours", False, []),
    ]
    assert moved[0]["problems"] and moved[0]["id_number_masked"] == mask_id_number(first_number)
    assert result["refused"] == [
        {
            "id": held,
            "name": "陈三",
            "code": "staffing.person_held_by_other_unit",
            "message": "该人员已在「乙测绘院」登记，请联系该单位删除该人员；无法解决时请联系主管部门协调解决。",
        },
        {"id": foreign} | NOT_FOUND,
        {"id": unknown} | NOT_FOUND,
        {"id": "not-an-id"} | NOT_FOUND,
    ]
    assert await transferred_ids(roster) == {first, second}
    assert unticked not in await transferred_ids(roster)

    one = (await roster.client.get(f"/persons/{moved[0]['id']}", headers=ours)).json()
    assert one["id_number"] == first_number  # the sealed number reused opens with the same keys
    listing = (await roster.client.get("/persons", headers=ours)).json()
    assert (listing["total"], listing["counted"]) == (2, 0)
    assert await _added_events(roster) == [("u-theirs", "填报"), ("u-ours", "老人老办法"), ("u-ours", "老人老办法")]


async def test_a_second_transfer_of_the_same_person_is_refused(
    roster: Roster, unit_headers: UnitHeaders, protector: Protector
) -> None:
    await roster.add_unit("u-twice", "丙测绘院", OURS)
    headers = unit_headers("u-twice")
    legacy_id, number = await a_legacy_person(roster, protector, credit_code=OURS, name="黄六")

    assert [p["name"] for p in (await transfer(roster, headers, legacy_id, legacy_id))["transferred"]] == ["黄六"]
    again = await transfer(roster, headers, legacy_id)
    assert (again["transferred"], again["refused"]) == ([], [{"id": legacy_id} | NOT_FOUND])

    person = (await roster.client.get("/persons", headers=headers)).json()["items"][0]
    assert (await roster.client.delete(f"/persons/{person['id']}", headers=headers)).status_code == 204
    still = await transfer(roster, headers, legacy_id)
    assert still["refused"] == [{"id": legacy_id} | NOT_FOUND]
    assert number not in json.dumps(still)


async def test_a_person_refused_for_a_conflict_may_be_transferred_once_released(
    roster: Roster, unit_headers: UnitHeaders, protector: Protector
) -> None:
    await roster.add_unit("u-waits", "丁测绘院", OURS)
    await roster.add_unit("u-holds", "戊测绘院", THEIRS)
    waits, holds = unit_headers("u-waits"), unit_headers("u-holds")
    legacy_id, number = await a_legacy_person(roster, protector, credit_code=OURS, name="何七")
    held = await roster.client.post("/persons", json=a_person(id_number=number), headers=holds)

    assert (await transfer(roster, waits, legacy_id))["refused"][0]["name"] == "何七"
    assert (await roster.client.delete(f"/persons/{held.json()['id']}", headers=holds)).status_code == 204
    assert [p["name"] for p in (await transfer(roster, waits, legacy_id))["transferred"]] == ["何七"]


async def test_a_unit_unknown_to_the_replica_finds_no_legacy_person(
    roster: Roster, unit_headers: UnitHeaders, protector: Protector
) -> None:
    legacy_id, _ = await a_legacy_person(roster, protector, credit_code=OURS, name="吕八")
    result = await transfer(roster, unit_headers("u-not-replicated"), legacy_id)
    assert (result["transferred"], result["refused"]) == ([], [{"id": legacy_id} | NOT_FOUND])


async def test_the_transfer_needs_a_unit_and_at_least_one_id(
    roster: Roster, unit_headers: UnitHeaders, sign: Callable[..., Headers]
) -> None:
    empty = await roster.client.post("/legacy/transfers", json={"ids": []}, headers=unit_headers())
    assert (empty.status_code, empty.json()["details"][0]["field"]) == (400, "$.ids")
    authority = sign(role="authority", jurisdiction="110000", roles=("review",))
    refused = await roster.client.post("/legacy/transfers", json={"ids": [str(uuid.uuid4())]}, headers=authority)
    assert refused.status_code == 403


async def _added_events(roster: Roster) -> list[tuple[str, str]]:
    conn = await roster.db()
    try:
        rows = await conn.fetch(
            "SELECT payload FROM outbox WHERE subject = 'qual.staffing.person_added.v1' ORDER BY id"
        )
    finally:
        await conn.close()
    return [(p["unit_id"], p["source"]) for p in (json.loads(bytes(row["payload"])) for row in rows)]
