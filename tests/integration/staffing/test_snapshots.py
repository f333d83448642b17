"""人员装备快照 over HTTP: frozen once per (application, revision), sealed in the table, read masked
by the owning unit and services and in full by an authority covering its jurisdiction."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from services.staffing.protection import SNAPSHOT, Protector

from .conftest import Headers, Roster
from .roster_rows import insert_instrument, insert_person, insert_project

UnitHeaders = Callable[..., Headers]
Sign = Callable[..., Headers]


@pytest.fixture
def service(sign: Sign) -> Headers:
    """The applications service acting for itself."""
    return sign(account_id="service:applications", role="system")


def request(
    unit_id: str, *, application_id: str | None = None, revision: int = 1, jurisdiction: str = "110000"
) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "application_id": application_id or f"app-{uuid.uuid4().hex[:8]}",
        "revision": revision,
        "jurisdiction": jurisdiction,
    }


async def a_roster(roster: Roster, protector: Protector, unit_id: str) -> dict[str, Any]:
    """A complete person and an incomplete one, an instrument and a project; the numbers."""
    conn = await roster.db()
    try:
        _, number = await insert_person(conn, protector, unit_id, name="李四")
        _, other = await insert_person(conn, protector, unit_id, name="王五", documents=("身份证",))
        instrument_id = await insert_instrument(conn, unit_id)
        project_id = await insert_project(conn, unit_id)
        documents = await conn.fetchval("SELECT count(*) FROM attachments")
    finally:
        await conn.close()
    return {
        "numbers": [number, other],
        "instrument": str(instrument_id),
        "project": str(project_id),
        "documents": documents,
    }


async def take(roster: Roster, headers: Headers, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    answer = await roster.client.post("/snapshots", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def stored(roster: Roster, snapshot_id: str) -> tuple[bytes, int]:
    conn = await roster.db()
    try:
        content = await conn.fetchval("SELECT content FROM snapshots WHERE id = $1::uuid", snapshot_id)
        events = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE subject = 'qual.staffing.roster_snapshotted.v1' AND aggregate_id = $1",
            snapshot_id,
        )
    finally:
        await conn.close()
    return bytes(content), events


async def test_a_snapshot_freezes_the_roster_and_a_repeat_answers_the_same(
    roster: Roster, protector: Protector, service: Headers
) -> None:
    made = await a_roster(roster, protector, "u-snap")
    body = request("u-snap")
    first = await take(roster, service, body)
    assert (first["unit_id"], first["application_id"], first["revision"]) == ("u-snap", body["application_id"], 1)
    assert [p["name"] for p in first["persons"]] == ["李四", "王五"]
    assert [p["complete"] for p in first["persons"]] == [True, False]
    assert all(p["id_number"] is None for p in first["persons"])
    assert [e["id"] for e in first["equipment"]] == [made["instrument"]]
    assert [p["id"] for p in first["projects"]] == [made["project"]]
    assert len(first["document_ids"]) == made["documents"]
    assert [m["countable"] for m in first["facts"]["staff"]] == [True, False]
    assert first["facts"]["equipment"] == [{"type": "全站仪", "count": 1, "countable": True}]
    assert first["official"] is False

    again = await take(roster, service, body, status=200)
    assert again == first
    assert (await stored(roster, first["id"]))[1] == 1  # RosterSnapshotted once


async def test_the_snapshot_does_not_follow_later_changes(
    roster: Roster, protector: Protector, service: Headers, unit_headers: UnitHeaders
) -> None:
    await a_roster(roster, protector, "u-frozen")
    body = request("u-frozen")
    first = await take(roster, service, body)
    conn = await roster.db()
    try:
        await insert_person(conn, protector, "u-frozen", name="赵六")
    finally:
        await conn.close()
    later = await roster.client.get(f"/snapshots/{first['id']}", headers=unit_headers("u-frozen"))
    assert [p["name"] for p in later.json()["persons"]] == ["李四", "王五"]
    assert (await take(roster, service, body, status=200))["persons"] == first["persons"]
    revised = await take(roster, service, body | {"revision": 2})
    assert [p["name"] for p in revised["persons"]] == ["李四", "王五", "赵六"]


async def test_racing_requests_for_one_revision_make_one_snapshot(
    roster: Roster, protector: Protector, service: Headers
) -> None:
    await a_roster(roster, protector, "u-race")
    body = request("u-race")
    answers = await asyncio.gather(*(roster.client.post("/snapshots", json=body, headers=service) for _ in range(8)))
    assert sorted(answer.status_code for answer in answers) == [200] * 7 + [201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert (await stored(roster, answers[0].json()["id"]))[1] == 1


@pytest.mark.parametrize(
    "change", [{"unit_id": "u-intruder"}, {"jurisdiction": "120000"}], ids=["unit", "jurisdiction"]
)
async def test_the_same_revision_for_another_unit_or_jurisdiction_is_refused(
    roster: Roster, service: Headers, change: dict[str, str]
) -> None:
    body = request("u-first")
    await take(roster, service, body)
    answer = await roster.client.post("/snapshots", json=body | change, headers=service)
    assert answer.status_code == 409
    assert answer.json()["code"] == "staffing.snapshot_mismatch"


async def test_the_content_is_sealed_in_the_table(roster: Roster, protector: Protector, service: Headers) -> None:
    made = await a_roster(roster, protector, "u-sealed")
    snapshot = await take(roster, service, request("u-sealed"))
    content, _ = await stored(roster, snapshot["id"])
    for number in made["numbers"]:
        assert number.encode() not in content
    assert "李四".encode() not in content and b"id_number" not in content
    opened = json.loads(protector.open(content, SNAPSHOT))
    assert [p["id_number"] for p in opened["persons"]] == made["numbers"]


async def test_the_owner_reads_masked_and_a_covering_authority_in_full(
    roster: Roster, protector: Protector, service: Headers, unit_headers: UnitHeaders, sign: Sign
) -> None:
    made = await a_roster(roster, protector, "u-read")
    snapshot = await take(roster, service, request("u-read", jurisdiction="110105"))
    path = f"/snapshots/{snapshot['id']}"

    owner = await roster.client.get(path, headers=unit_headers("u-read"))
    assert owner.status_code == 200
    assert [p["id_number"] for p in owner.json()["persons"]] == [None, None]
    assert all(number not in owner.text for number in made["numbers"])
    assert (
        owner.json()["persons"][0]["id_number_masked"] == made["numbers"][0][:6] + "********" + made["numbers"][0][-4:]
    )

    for reader in (
        sign(role="authority", jurisdiction="110000"),
        sign(role="authority", jurisdiction="110105"),
        sign(role="admin", jurisdiction="000000"),
    ):
        full = await roster.client.get(path, headers=reader)
        assert full.status_code == 200
        assert [p["id_number"] for p in full.json()["persons"]] == made["numbers"]

    by_service = await roster.client.get(path, headers=service)
    assert by_service.status_code == 200
    assert [p["id_number"] for p in by_service.json()["persons"]] == [None, None]


@pytest.mark.parametrize(
    "claims",
    [
        {"role": "authority", "jurisdiction": "120000"},
        {"role": "authority", "jurisdiction": "110108"},
        {"role": "unit", "unit_id": "u-neighbour"},
        {"role": "system", "account_id": "gateway"},
    ],
    ids=["other-province", "other-district", "another-unit", "anonymous"],
)
async def test_anyone_else_is_told_it_does_not_exist(
    roster: Roster, protector: Protector, service: Headers, sign: Sign, claims: dict[str, str]
) -> None:
    await a_roster(roster, protector, "u-private")
    snapshot = await take(roster, service, request("u-private", jurisdiction="110105"))
    answer = await roster.client.get(f"/snapshots/{snapshot['id']}", headers=sign(**claims))
    assert answer.status_code == 404
    assert answer.json()["code"] == "staffing.snapshot_not_found"
    missing = await roster.client.get(f"/snapshots/{uuid.uuid4()}", headers=sign(**claims))
    assert missing.json() == answer.json()


@pytest.mark.parametrize(
    "claims",
    [
        {"role": "unit", "unit_id": "u-self"},
        {"role": "authority", "jurisdiction": "000000"},
        {"role": "system", "account_id": "gateway"},
    ],
    ids=["unit", "authority", "anonymous"],
)
async def test_only_a_service_takes_a_snapshot(roster: Roster, sign: Sign, claims: dict[str, str]) -> None:
    answer = await roster.client.post("/snapshots", json=request("u-self"), headers=sign(**claims))
    assert answer.status_code == 403
    assert answer.json()["code"] == "service_only"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"jurisdiction": "11"}, "$.jurisdiction"), ({"revision": -1}, "$.revision"), ({"unit_id": ""}, "$.unit_id")],
)
async def test_a_bad_request_names_the_field(
    roster: Roster, service: Headers, change: dict[str, Any], field: str
) -> None:
    answer = await roster.client.post("/snapshots", json=request("u-bad") | change, headers=service)
    assert answer.status_code == 400
    assert field in answer.text


async def test_a_receipt_takes_the_same_snapshot_and_answers_only_its_id(
    roster: Roster, protector: Protector, service: Headers, unit_headers: UnitHeaders
) -> None:
    await a_roster(roster, protector, "u-receipt")
    body = request("u-receipt")
    answer = await roster.client.post("/snapshots/receipts", json=body, headers=service)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert set(receipt) == {"id", "unit_id", "application_id", "revision", "jurisdiction", "taken_on"}
    assert (receipt["unit_id"], receipt["revision"], receipt["jurisdiction"]) == ("u-receipt", 1, "110000")
    assert (await take(roster, service, body, status=200))["id"] == receipt["id"]  # the same snapshot
    again = await roster.client.post("/snapshots/receipts", json=body, headers=service)
    assert again.status_code == 200 and again.json() == receipt
    assert (await stored(roster, receipt["id"]))[1] == 1  # RosterSnapshotted once
    mismatch = await roster.client.post("/snapshots/receipts", json=body | {"unit_id": "u-other"}, headers=service)
    assert mismatch.status_code == 409
    unit = await roster.client.post("/snapshots/receipts", json=body, headers=unit_headers("u-receipt"))
    assert unit.status_code == 403
