"""技术装备 held by one unit at a time (manual 5.6.2), on real PostgreSQL: the same (设备类型,
normalised 出厂编号) from another unit is a 409 naming the holder from the units replica — also
when typed in full width or lower case, also by an edit, also when fifty units race — while a
different serial (O for 0) or another type is a different instrument, and a deleted one is free."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from tests.builders.staffing import an_instrument

from .conftest import Headers, Roster

UnitHeaders = Callable[..., Headers]


async def add(roster: Roster, headers: Headers, **overrides: Any) -> dict[str, Any]:
    answer = await roster.client.post("/equipment", json=an_instrument(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def total(roster: Roster, headers: Headers) -> int:
    answer = await roster.client.get("/equipment", headers=headers)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["total"])


async def test_an_instrument_held_by_another_unit_is_a_conflict_naming_it(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    await roster.add_unit("u-holder", "北京市测绘设计研究院")
    holder, other = unit_headers("u-holder"), unit_headers("u-other")
    await add(roster, holder, serial="TS16-0042")

    for typed in ("TS16-0042", "ts16-0042", "ＴＳ１６－００４２", " TS16-0042 "):
        answer = await roster.client.post("/equipment", json=an_instrument(serial=typed), headers=other)
        assert answer.status_code == 409, typed
        assert answer.json() == {
            "code": "staffing.equipment_held_by_other_unit",
            "message": "该技术装备已在「北京市测绘设计研究院」登记，请联系该单位删除该技术装备；"
            "无法解决时请联系主管部门协调解决。",
            "details": {"field": "$.serial", "holder": "北京市测绘设计研究院"},
        }
    again = await roster.client.post("/equipment", json=an_instrument(serial="ts16-0042"), headers=holder)
    assert (again.status_code, again.json()["code"]) == (409, "staffing.equipment_already_listed")

    assert (await add(roster, other, serial="TS16-OO42"))["serial"] == "TS16-OO42"  # letters O, not zeros
    assert (await add(roster, other, serial="TS16-0042", type="GNSS接收机"))["type"] == "GNSS接收机"
    assert await total(roster, holder) == 1


async def test_fifty_units_racing_for_one_instrument_one_wins_and_the_rest_are_told_who(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    units = [f"u-race-{n:02d}" for n in range(50)]
    for n, unit in enumerate(units):
        await roster.add_unit(unit, f"第{n:02d}测绘队")
    serials = ["RACE-1" if n % 2 else "ｒａｃｅ－１" for n in range(50)]  # the same serial, typed two ways
    answers = await asyncio.gather(
        *(
            roster.client.post("/equipment", json=an_instrument(serial=serial), headers=unit_headers(unit))
            for unit, serial in zip(units, serials, strict=True)
        )
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * 49
    [winner] = [answer.json()["unit_id"] for answer in answers if answer.status_code == 201]
    holder = f"第{units.index(winner):02d}测绘队"
    assert {answer.json()["details"]["holder"] for answer in answers if answer.status_code == 409} == {holder}
    conn = await roster.db()
    try:
        assert await conn.fetch("SELECT unit_id FROM equipment WHERE serial = 'RACE-1'") == [(winner,)]
    finally:
        await conn.close()


async def test_a_holder_missing_from_the_replica_is_another_unit(roster: Roster, unit_headers: UnitHeaders) -> None:
    await add(roster, unit_headers("u-unnamed"), serial="X-1")
    answer = await roster.client.post("/equipment", json=an_instrument(serial="X-1"), headers=unit_headers())
    assert answer.status_code == 409
    assert answer.json()["details"] == {"field": "$.serial", "holder": None}
    assert answer.json()["message"].startswith("该技术装备已在其他单位登记")


async def test_an_edit_to_an_instrument_held_elsewhere_is_a_conflict_and_changes_nothing(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    await roster.add_unit("u-first", "第一测绘队")
    first, second = unit_headers("u-first"), unit_headers("u-second")
    await add(roster, first, serial="HELD-1")
    mine = await add(roster, second, serial="MINE-1", brand="南方")
    await add(roster, second, serial="MINE-2")

    taken = await roster.client.put(f"/equipment/{mine['id']}", json=an_instrument(serial="held-1"), headers=second)
    assert (taken.status_code, taken.json()["details"]["holder"]) == (409, "第一测绘队")
    own = await roster.client.put(f"/equipment/{mine['id']}", json=an_instrument(serial="MINE-2"), headers=second)
    assert (own.status_code, own.json()["code"]) == (409, "staffing.equipment_already_listed")
    assert (await roster.client.get(f"/equipment/{mine['id']}", headers=second)).json() == mine

    moved = await roster.client.put(f"/equipment/{mine['id']}", json=an_instrument(serial="MINE-3"), headers=second)
    assert moved.status_code == 200
    body = moved.json()
    assert (body["id"], body["serial"], body["brand"], body["created_at"]) == (
        mine["id"],
        "MINE-3",
        "徕卡",
        mine["created_at"],
    )
    assert body["updated_at"] > mine["updated_at"]
    kept = await roster.client.put(f"/equipment/{mine['id']}", json=an_instrument(serial="mine-3"), headers=second)
    assert kept.status_code == 200


async def test_a_deleted_instrument_may_be_added_by_another_unit(roster: Roster, unit_headers: UnitHeaders) -> None:
    first, second = unit_headers("u-seller"), unit_headers("u-buyer")
    documents = [{"purpose": "检定证书", "document_id": await roster.upload(first, "检定证书")}]
    sold = await add(roster, first, serial="SOLD-7", documents=documents)
    gone = await roster.client.delete(f"/equipment/{sold['id']}", headers=first)
    assert (gone.status_code, gone.content) == (204, b"")
    assert (await roster.client.get(f"/equipment/{sold['id']}", headers=first)).status_code == 404
    assert (await roster.client.delete(f"/equipment/{sold['id']}", headers=first)).status_code == 404
    assert (await add(roster, second, serial="sold-7"))["unit_id"] == "u-buyer"
    conn = await roster.db()
    try:
        assert await conn.fetchval("SELECT count(*) FROM attachments WHERE owner_id = $1", uuid.UUID(sold["id"])) == 0
    finally:
        await conn.close()
