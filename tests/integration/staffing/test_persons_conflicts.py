"""One unit holds a person at a time (manual 5.5.4), decided by the unique keyed hash even when 50
units race for the same person; and the 证件号码 is stored only sealed, hashed and masked."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable

from services.staffing.protection import Protector
from tests.builders.staffing import a_person, an_id_number

from .conftest import Headers, Roster

UnitHeaders = Callable[..., Headers]
RACERS = 50


async def test_fifty_units_racing_for_one_person_one_wins_and_the_rest_are_told_the_holder(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    units = [f"u-race-{i:02d}" for i in range(RACERS)]
    names = {unit: f"第{i}测绘院" for i, unit in enumerate(units)}
    for unit in units:
        await roster.add_unit(unit, names[unit])
    payload = a_person(id_number=an_id_number())

    answers = await asyncio.gather(
        *(roster.client.post("/persons", json=payload, headers=unit_headers(unit)) for unit in units)
    )

    assert Counter(a.status_code for a in answers) == {201: 1, 409: RACERS - 1}
    winner = next(a.json() for a in answers if a.status_code == 201)
    holder = names[winner["unit_id"]]
    for answer in answers:
        if answer.status_code == 409:
            body = answer.json()
            assert body["code"] == "staffing.person_held_by_other_unit"
            assert body["message"].startswith(f"该人员已在「{holder}」登记")
            assert body["details"]["holder"] == holder
    conn = await roster.db()
    try:
        assert await conn.fetchval("SELECT count(*) FROM persons") == 1
    finally:
        await conn.close()


async def test_the_number_is_stored_sealed_hashed_and_masked_never_plain(
    roster: Roster, unit_headers: UnitHeaders, protector: Protector
) -> None:
    number = an_id_number()
    added = await roster.client.post("/persons", json=a_person(id_number=number), headers=unit_headers("u-sealed"))
    assert added.status_code == 201
    conn = await roster.db()
    try:
        row = await conn.fetchrow("SELECT * FROM persons WHERE id = $1::uuid", added.json()["id"])
    finally:
        await conn.close()
    assert row is not None
    sealed = bytes(row["id_number_enc"])
    assert protector.open_text(sealed) == number
    assert number.encode() not in sealed and number[6:14].encode() not in sealed
    assert bytes(row["id_number_hash"]) == protector.identity("居民身份证", number)
    assert row["id_number_masked"] == number[:6] + "*" * 8 + number[-4:]
    for column, value in row.items():
        text = value.hex() if isinstance(value, bytes) else str(value)
        assert number not in text and number[6:14] not in text, column
        assert not re.search(number[:6] + r"\d{8}", text), column


async def test_once_the_holder_removes_the_person_another_unit_may_add_them(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    await roster.add_unit("u-before", "原单位")
    before, after = unit_headers("u-before"), unit_headers("u-after")
    payload = a_person(id_number=an_id_number())
    held = await roster.client.post("/persons", json=payload, headers=before)
    assert held.status_code == 201
    refused = await roster.client.post("/persons", json=payload, headers=after)
    assert (refused.status_code, refused.json()["details"]["holder"]) == (409, "原单位")

    assert (await roster.client.delete(f"/persons/{held.json()['id']}", headers=before)).status_code == 204
    moved = await roster.client.post("/persons", json=payload, headers=after)
    assert moved.status_code == 201
    assert moved.json()["unit_id"] == "u-after"


async def test_a_holder_missing_from_the_units_replica_is_other_unit(roster: Roster, unit_headers: UnitHeaders) -> None:
    payload = a_person(id_number=an_id_number())
    assert (await roster.client.post("/persons", json=payload, headers=unit_headers("u-unknown"))).status_code == 201
    refused = await roster.client.post("/persons", json=payload, headers=unit_headers())
    assert refused.status_code == 409
    assert refused.json()["message"].startswith("该人员已在其他单位登记")
