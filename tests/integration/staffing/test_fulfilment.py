"""满足情况 over HTTP: the unit's countable roster sent to the real standards service, its answer
returned unchanged — the whole requirement table, passes included; incomplete entries do not count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

import services.standards
from contracts.standards.api import EquipmentHolding, EvaluateRequest, Evaluation, LevelRequest, StaffMember, Title
from services.staffing.clock import today
from services.staffing.protection import Protector
from services.standards.catalog import Catalog
from services.standards.evaluation import evaluate
from tests.builders.staffing import a_person

from .conftest import Headers, Roster
from .roster_rows import EVERYONE_DOCUMENTS, RELATED_DOCUMENTS, insert_instrument, insert_person

UnitHeaders = Callable[..., Headers]
OCEAN_B = [{"category": "海洋测绘", "level": "乙级"}]
"""海洋测绘乙级: 6 staff (2 中级, 2 初级 and up), a 全站仪 and a 测深仪."""
TODAY = today()
"""Beijing's day, the default evaluation date."""
EXPIRY = TODAY + dt.timedelta(days=10)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_dir(Path(services.standards.__file__).parent / "data")


async def ocean_roster(roster: Roster, protector: Protector, unit_id: str) -> dict[str, Any]:
    """Six countable persons, one incomplete 中级 and one 非专业; a countable 全站仪 and a 测深仪
    calibrated until EXPIRY; the ids by role."""
    conn = await roster.db()
    try:
        counted = [
            await insert_person(conn, protector, unit_id, title_level=t) for t in ("中级", "中级", "初级", "初级")
        ]
        counted += [
            await insert_person(conn, protector, unit_id, category="相关专业技术人员", documents=RELATED_DOCUMENTS)
            for _ in range(2)
        ]
        incomplete, _ = await insert_person(conn, protector, unit_id, title_level="中级", documents=("职称证书",))
        await insert_person(conn, protector, unit_id, category="非专业技术人员", documents=EVERYONE_DOCUMENTS)
        await insert_instrument(conn, unit_id, kind="全站仪")
        await insert_instrument(conn, unit_id, kind="测深仪", valid_until=EXPIRY)
    finally:
        await conn.close()
    return {"counted": [str(person_id) for person_id, _ in counted], "incomplete": str(incomplete)}


def requirements(evaluation: dict[str, Any]) -> dict[str, tuple[str, Any, Any]]:
    (result,) = evaluation["results"]
    return {item["id"]: (item["status"], item["required"], item["actual"]) for item in result["requirements"]}


async def test_the_whole_table_comes_back_unchanged_and_only_complete_entries_count(
    roster: Roster, protector: Protector, unit_headers: UnitHeaders, catalog: Catalog
) -> None:
    ids = await ocean_roster(roster, protector, "u-ocean")
    on = EXPIRY + dt.timedelta(days=1)  # the 测深仪's calibration has run out by then
    answer = await roster.client.post(
        "/fulfilment", json={"requests": OCEAN_B, "date": on.isoformat()}, headers=unit_headers("u-ocean")
    )
    assert answer.status_code == 200, answer.text
    table = requirements(answer.json())
    assert table["staff.total"] == ("pass", 6, 6)  # not 7: the incomplete 中级 does not count
    assert table["staff.cumulative.intermediate"] == ("pass", 2, 2)
    assert table["equipment.1"] == ("pass", 1, 1)
    assert table["equipment.2"] == ("fail", 1, 0)
    assert answer.json()["overall"] == "fail"

    titles: tuple[Title, ...] = ("中级", "中级", "初级", "初级")
    surveyors = zip(ids["counted"][:4], titles, strict=True)
    expected = EvaluateRequest(
        application_date=on,
        requests=[LevelRequest(category="海洋测绘", level="乙级")],
        staff=[
            *(StaffMember(id=i, major="测绘", title=title, countable=True) for i, title in surveyors),
            *(StaffMember(id=i, major="相关", countable=True) for i in ids["counted"][4:]),
            StaffMember(id=ids["incomplete"], major="测绘", title="中级", countable=False),
        ],
        equipment=[
            EquipmentHolding(type="全站仪", count=1, countable=True),
            EquipmentHolding(type="测深仪", count=1, countable=False),
        ],
    )
    assert msgspec.json.decode(answer.content, type=Evaluation) == evaluate(catalog, expected)


async def test_the_date_decides_whether_a_calibration_is_still_valid(
    roster: Roster, protector: Protector, unit_headers: UnitHeaders
) -> None:
    await ocean_roster(roster, protector, "u-dated")
    headers = unit_headers("u-dated")
    valid = await roster.client.post(
        "/fulfilment", json={"requests": OCEAN_B, "date": EXPIRY.isoformat()}, headers=headers
    )
    assert requirements(valid.json())["equipment.2"] == ("pass", 1, 1)
    today = await roster.client.post("/fulfilment", json={"requests": OCEAN_B}, headers=headers)
    assert today.json()["application_date"] == TODAY.isoformat()
    assert today.json()["overall"] == "pass"


async def test_a_unit_is_judged_on_its_own_roster_only(
    roster: Roster, protector: Protector, unit_headers: UnitHeaders
) -> None:
    await ocean_roster(roster, protector, "u-full")
    answer = await roster.client.post("/fulfilment", json={"requests": OCEAN_B}, headers=unit_headers("u-empty"))
    assert answer.status_code == 200
    table = requirements(answer.json())
    assert table["staff.total"] == ("fail", 6, 0)
    assert table["equipment.1"] == ("fail", 1, 0)


async def test_a_person_added_with_documents_through_the_api_counts(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-api")
    documents = [
        {"purpose": p, "document_id": await roster.upload(headers, p)} for p in ("职称证书", "社保缴纳证明", "身份证")
    ]
    added = await roster.client.post(
        "/persons", json=a_person(title_level="中级", documents=documents), headers=headers
    )
    assert added.status_code == 201, added.text
    await roster.client.post("/persons", json=a_person(title_level="中级"), headers=headers)  # no documents
    answer = await roster.client.post("/fulfilment", json={"requests": OCEAN_B}, headers=headers)
    assert requirements(answer.json())["staff.cumulative.intermediate"] == ("fail", 2, 1)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"requests": [{"category": "天文测绘", "level": "乙级"}]}, "invalid_input", "$.requests[0].category"),
        ({"requests": OCEAN_B, "date": "2020-01-01"}, "standards.no_version_in_force", "$.application_date"),
        ({"requests": []}, "invalid_input", "$.requests"),
        ({"requests": OCEAN_B, "extra": 1}, "invalid_input", "$.extra"),
    ],
    ids=["unknown-category", "before-the-standard", "nothing-picked", "unknown-field"],
)
async def test_refusals_name_the_field(
    roster: Roster, unit_headers: UnitHeaders, body: dict[str, Any], code: str, field: str
) -> None:
    answer = await roster.client.post("/fulfilment", json=body, headers=unit_headers("u-refused"))
    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert error["code"] == code
    assert field in answer.text


async def test_only_a_unit_asks(roster: Roster, sign: Callable[..., Headers]) -> None:
    headers = sign(role="authority", jurisdiction="110000")
    answer = await roster.client.post("/fulfilment", json={"requests": OCEAN_B}, headers=headers)
    assert answer.status_code == 403
