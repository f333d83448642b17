"""Isolation (property-based, Hypothesis): over random pairs of units, entries of both kinds (技术装备,
测绘业绩), with or without documents, and every spelling of an id that names the same UUID, another
unit can neither read, list, edit nor delete a unit's entry — it is told 404, as for an id that
does not exist — and the owner's entry, its row and its events stay exactly as they were."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders.staffing import a_project, an_instrument

from .conftest import Headers, Roster

UNITS = ("unit-a", "unit-b", "unit-c")
UnitHeaders = Callable[..., Headers]

KINDS: dict[str, dict[str, Any]] = {
    "equipment": {
        "build": an_instrument,
        "purposes": ("检定证书", "购置发票"),
        "missing": "staffing.equipment_not_found",
    },
    "projects": {"build": a_project, "purposes": ("项目合同", "验收证明"), "missing": "staffing.project_not_found"},
}

SPELLINGS: list[Callable[[str], str]] = [
    lambda s: s,
    str.upper,
    lambda s: s.replace("-", ""),
    lambda s: "{" + s + "}",
    lambda s: "urn:uuid:" + s,
]
"""Ways of writing one UUID that ``uuid.UUID`` reads as the same id."""

pairs = st.permutations(UNITS).map(lambda units: (units[0], units[1]))


async def _row(roster: Roster, table: str, entry_id: str) -> dict[str, Any] | None:
    conn = await roster.db()
    try:
        row = await conn.fetchrow(f"SELECT * FROM {table} WHERE id = $1", uuid.UUID(entry_id))
        told = await conn.fetchval("SELECT count(*) FROM outbox WHERE aggregate_id = $1", entry_id)
    finally:
        await conn.close()
    return None if row is None else {**dict(row), "told": told}


async def _documents(roster: Roster, headers: Headers, purposes: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"purpose": p, "document_id": await roster.upload(headers, p)} for p in purposes]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    units=pairs,
    kind=st.sampled_from(sorted(KINDS)),
    with_documents=st.booleans(),
    intruder_has_own=st.booleans(),
    spelling=st.sampled_from(SPELLINGS),
)
async def test_another_unit_can_neither_read_list_change_nor_delete_an_entry(
    roster: Roster,
    unit_headers: UnitHeaders,
    units: tuple[str, str],
    kind: str,
    with_documents: bool,
    intruder_has_own: bool,
    spelling: Callable[[str], str],
) -> None:
    spec, (owner_id, intruder_id) = KINDS[kind], units
    owner, intruder = unit_headers(owner_id), unit_headers(intruder_id)
    documents = await _documents(roster, owner, spec["purposes"]) if with_documents else []
    made = await roster.client.post(f"/{kind}", json=spec["build"](documents=documents), headers=owner)
    assert made.status_code == 201, made.text
    entry = made.json()
    if intruder_has_own:
        assert (await roster.client.post(f"/{kind}", json=spec["build"](), headers=intruder)).status_code == 201
    before = await _row(roster, kind, entry["id"])

    path = f"/{kind}/{spelling(entry['id'])}"
    assert (await roster.client.get(f"/{kind}/{entry['id']}", headers=owner)).status_code == 200
    for method, body in (("GET", None), ("PUT", spec["build"]()), ("DELETE", None)):
        answer = await roster.client.request(method, path, json=body, headers=intruder)
        assert (answer.status_code, answer.json()["code"]) == (404, spec["missing"]), (method, path)

    listed = (await roster.client.get(f"/{kind}", params={"page_size": 500}, headers=intruder)).json()
    assert entry["id"] not in {item["id"] for item in listed["items"]}
    assert {item["unit_id"] for item in listed["items"]} <= {intruder_id}
    assert entry["id"] not in json.dumps(listed)

    assert (await roster.client.get(f"/{kind}/{entry['id']}", headers=owner)).json() == entry
    assert await _row(roster, kind, entry["id"]) == before
