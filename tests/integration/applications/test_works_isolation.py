"""A unit's work is its own (property-based, Hypothesis): another unit or an authority outside the
jurisdiction gets 404 for the work and its pages whatever it tries, and nothing changes; an
authority covering the jurisdiction reads submitted work only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Desk, Headers

REGISTRATION = {"application_type": "新单位注册", "certificate_type": "乙级资质证书"}
SPELLINGS: dict[str, Callable[[str], str]] = {
    "as given": lambda work_id: work_id,
    "upper case": str.upper,
    "braces": lambda work_id: "{" + work_id + "}",
    "no hyphens": lambda work_id: uuid.UUID(work_id).hex,
}
STRANGERS = ("other unit", "outside authority", "inside authority on a draft")
operations = st.lists(
    st.tuples(st.sampled_from(["get", "delete", "get page", "put page"]), st.sampled_from(sorted(SPELLINGS))),
    min_size=1,
    max_size=4,
)


async def snapshot(desk: Desk, work_id: str) -> dict[str, Any]:
    conn = await desk.db()
    try:
        row = await conn.fetchrow("SELECT * FROM applications WHERE id = $1", work_id)
        pages = await conn.fetchval("SELECT count(*) FROM application_pages WHERE application_id = $1", work_id)
    finally:
        await conn.close()
    assert row is not None
    return {**dict(row), "pages": pages}


async def act(desk: Desk, headers: Headers, operation: str, work_id: str) -> None:
    client, url = desk.client, f"/works/{work_id}"
    if operation == "get":
        answer = await client.get(url, headers=headers)
    elif operation == "delete":
        answer = await client.delete(url, headers=headers)
    elif operation == "get page":
        answer = await client.get(f"{url}/pages/unit_info", headers=headers)
    else:
        answer = await client.put(f"{url}/pages/leaders", json={"values": {}}, headers=headers)
    if headers.get("role-kind") == "authority" and operation not in ("get", "get page"):
        assert answer.status_code == 403, answer.text  # unit-only routes
        return
    assert answer.status_code == 404, (operation, answer.text)
    assert answer.json()["code"] == "applications.work_not_found"


def stranger_headers(desk: Desk, who: str, stranger_unit: str) -> Headers:
    if who == "other unit":
        return desk.unit(stranger_unit)
    jurisdiction = "120000" if who == "outside authority" else "110000"
    return {**desk.authority(jurisdiction), "role-kind": "authority"}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=st.sampled_from(STRANGERS), steps=operations)
async def test_nobody_else_reads_or_changes_a_units_work(desk: Desk, who: str, steps: list[tuple[str, str]]) -> None:
    owner = desk.unit(await desk.add_unit())
    stranger_unit = await desk.add_unit(credit_code="91120000MA01ABCD1X")
    work = (await desk.client.post("/works", json=REGISTRATION, headers=owner)).json()
    before = await snapshot(desk, work["id"])
    headers = stranger_headers(desk, who, stranger_unit)
    for operation, spelling in steps:
        await act(desk, headers, operation, SPELLINGS[spelling](work["id"]))
    assert await snapshot(desk, work["id"]) == before
    assert (await desk.client.get(f"/works/{work['id']}", headers=owner)).status_code == 200
    assert (await desk.client.delete(f"/works/{work['id']}", headers=owner)).status_code == 204


async def test_an_authority_of_the_jurisdiction_reads_submitted_work(desk: Desk) -> None:
    owner = desk.unit(await desk.add_unit())
    work = (await desk.client.post("/works", json=REGISTRATION, headers=owner)).json()
    conn = await desk.db()
    try:
        await conn.execute("UPDATE applications SET state = 'submitted', revision = 0 WHERE id = $1", work["id"])
    finally:
        await conn.close()
    inside = await desk.client.get(f"/works/{work['id']}", headers=desk.authority("110000"))
    assert inside.status_code == 200 and inside.json()["state_label"] == "已提交"
    ministry = await desk.client.get(f"/works/{work['id']}", headers=desk.authority("000000"))
    assert ministry.status_code == 200
    outside = await desk.client.get(f"/works/{work['id']}", headers=desk.authority("120000"))
    assert outside.status_code == 404
    page = await desk.client.get(f"/works/{work['id']}/pages/unit_info", headers=desk.authority("110000"))
    assert page.status_code == 200, page.text  # the review screen shows every page
    assert page.json()["values"]["credit_code"]
    hidden = await desk.client.get(f"/works/{work['id']}/pages/unit_info", headers=desk.authority("120000"))
    assert hidden.status_code == 404
    edit = await desk.client.put(
        f"/works/{work['id']}/pages/leaders", json={"values": {}}, headers=desk.authority("110000")
    )
    assert edit.status_code == 403  # reading is not saving
