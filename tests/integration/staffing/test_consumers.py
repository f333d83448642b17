"""Staffing's consumers on real NATS: identity's units fill the replica, a deleted document makes a
complete person incomplete again, and an approval makes its snapshot the official roster — once,
whatever the redeliveries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from contracts.applications.events import ApplicationApproved
from contracts.base import Event
from contracts.identity.events import UnitAccountRegistered, UnitAccountRegisteredV2
from contracts.subjects import subject_for
from services.kernel.nats import NatsLink
from services.staffing.handlers.replicas import jurisdiction_of
from services.staffing.protection import Protector
from tests.builders.staffing import a_person
from tests.fixtures.waiting import eventually

from .conftest import Headers, Roster
from .roster_rows import insert_person

UnitHeaders = Callable[..., Headers]
APPROVALS = "staffing-applications-approved"


async def publish(link: NatsLink, event: Event, *, again: bool = False) -> None:
    """Publish ``event``; ``again``: the same event once more, past the duplicate window."""
    msg_id = f"again-{event.event_id}" if again else str(event.event_id)
    await link.js.publish(subject_for(type(event)), msgspec.json.encode(event), headers={"Nats-Msg-Id": msg_id})


async def fetch(roster: Roster, query: str, *args: Any) -> list[dict[str, Any]]:
    conn = await roster.db()
    try:
        return [dict(row) for row in await conn.fetch(query, *args)]
    finally:
        await conn.close()


async def handled(roster: Roster, consumer: str, *events: Event) -> None:
    """Wait until the consumer has handled (and committed) every one of ``events``."""
    wanted = {event.event_id for event in events}

    async def done() -> bool:
        rows = await fetch(roster, "SELECT event_id FROM inbox WHERE consumer = $1", consumer)
        return wanted <= {row["event_id"] for row in rows}

    await eventually(done)


# --- units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("credit_code", "jurisdiction"),
    [
        ("91350100MA01ABCD1X", "350000"),
        ("91110108MA01ABCD1X", "110000"),
        ("9144XXXXMA01ABCD1X", "440000"),  # no division code, but a province in characters 3–4
        ("91990000MA01ABCD1X", ""),  # 99 is no province
        ("91", ""),
    ],
)
def test_the_jurisdiction_is_the_province_of_the_credit_code(credit_code: str, jurisdiction: str) -> None:
    assert jurisdiction_of(credit_code) == jurisdiction


async def test_registered_units_fill_the_replica(roster: Roster, link: NatsLink) -> None:
    v2 = UnitAccountRegisteredV2(
        aggregate_id="u-fj",
        account_id=str(uuid.uuid4()),
        unit_id="u-fj",
        username="fjch",
        unit_name="福建测绘院",
        credit_code="12350000488000000X",
    )
    v1 = UnitAccountRegistered(
        aggregate_id="u-old",
        account_id=str(uuid.uuid4()),
        unit_id="u-old",
        username="old",
        unit_name="老单位",
        credit_code="91440300MA5DXXXX1X",
        contact_name="张三",
        mobile="13800138000",
    )
    await publish(link, v2)
    await publish(link, v1)

    async def replicated() -> bool:
        return len(await fetch(roster, "SELECT 1 FROM units WHERE unit_id IN ('u-fj', 'u-old')")) == 2

    await eventually(replicated)
    rows = await fetch(roster, "SELECT unit_id, unit_name, credit_code, jurisdiction FROM units ORDER BY unit_id")
    assert {row["unit_id"]: (row["unit_name"], row["jurisdiction"]) for row in rows} == {
        "u-fj": ("福建测绘院", "350000"),
        "u-old": ("老单位", "440000"),
    }


# --- documents -----------------------------------------------------------------------------------


async def test_a_deleted_document_makes_a_complete_person_incomplete(roster: Roster, unit_headers: UnitHeaders) -> None:
    headers = unit_headers("u-docs")
    documents = {p: await roster.upload(headers, p) for p in ("职称证书", "社保缴纳证明", "身份证")}
    attached = [{"purpose": p, "document_id": d} for p, d in documents.items()]
    added = await roster.client.post("/persons", json=a_person(documents=attached), headers=headers)
    assert added.status_code == 201, added.text
    assert added.json()["complete"] is True

    async with httpx.AsyncClient(base_url=roster.documents_url) as client:
        deleted = await client.delete(f"/documents/{documents['身份证']}", headers=headers)
    assert deleted.status_code == 204

    async def incomplete() -> bool:
        person = await roster.client.get(f"/persons/{added.json()['id']}", headers=headers)
        return person.json()["complete"] is False

    await eventually(incomplete)
    person = (await roster.client.get(f"/persons/{added.json()['id']}", headers=headers)).json()
    assert [(p["code"], p["message"]) for p in person["problems"]] == [
        ("document_deleted", "身份证已被删除，请重新上传")
    ]
    fulfilment = await roster.client.post(
        "/fulfilment", json={"requests": [{"category": "工程测量", "level": "乙级"}]}, headers=headers
    )
    total = next(r for r in fulfilment.json()["results"][0]["requirements"] if r["id"] == "staff.total")
    assert total["actual"] == 0


# --- approvals -----------------------------------------------------------------------------------


def approval(*, snapshot_id: str | None, unit_id: str = "u-x", application_id: str = "app-x") -> ApplicationApproved:
    return ApplicationApproved(
        aggregate_id=application_id,
        application_id=application_id,
        unit_id=unit_id,
        revision=1,
        application_type="首次申请",
        certificate_type="测绘资质证书",
        jurisdiction="110000",
        approved_on=dt.date(2025, 6, 30),
        snapshot_id=snapshot_id,
    )


def approval_of(snapshot: dict[str, Any], *, unit_id: str | None = None) -> ApplicationApproved:
    """The approval of the snapshot's application (``unit_id``: as if for another unit)."""
    return approval(
        snapshot_id=snapshot["id"], unit_id=unit_id or snapshot["unit_id"], application_id=snapshot["application_id"]
    )


async def snapshot_of(roster: Roster, sign: Callable[..., Headers], unit_id: str) -> dict[str, Any]:
    body = {
        "unit_id": unit_id,
        "application_id": f"app-{uuid.uuid4().hex[:8]}",
        "revision": 1,
        "jurisdiction": "110000",
    }
    answer = await roster.client.post(
        "/snapshots", json=body, headers=sign(account_id="service:applications", role="system")
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def made_official(roster: Roster) -> list[dict[str, Any]]:
    return await fetch(roster, "SELECT payload FROM outbox WHERE subject = 'qual.staffing.roster_made_official.v1'")


async def test_an_approval_makes_its_snapshot_official_once(
    roster: Roster, protector: Protector, link: NatsLink, sign: Callable[..., Headers], unit_headers: UnitHeaders
) -> None:
    conn = await roster.db()
    try:
        await insert_person(conn, protector, "u-approved")
    finally:
        await conn.close()
    snapshot = await snapshot_of(roster, sign, "u-approved")
    first, second = approval_of(snapshot), approval_of(snapshot)
    await publish(link, first)
    await publish(link, first, again=True)  # redelivered
    await publish(link, second)  # another approval naming the same snapshot
    await handled(roster, APPROVALS, first, second)

    read = await roster.client.get(f"/snapshots/{snapshot['id']}", headers=unit_headers("u-approved"))
    assert read.json()["official"] is True
    (event,) = await made_official(roster)
    payload = msgspec.json.decode(event["payload"])
    assert (payload["unit_id"], payload["snapshot_id"], payload["application_id"]) == (
        "u-approved",
        snapshot["id"],
        snapshot["application_id"],
    )


async def test_a_newer_approval_leaves_the_earlier_official_snapshot_marked(
    roster: Roster, link: NatsLink, sign: Callable[..., Headers]
) -> None:
    older, newer = await snapshot_of(roster, sign, "u-twice"), await snapshot_of(roster, sign, "u-twice")
    events = [approval_of(older), approval_of(newer)]
    for event in events:
        await publish(link, event)
    await handled(roster, APPROVALS, *events)
    rows = await fetch(roster, "SELECT id::text, official_at FROM snapshots WHERE unit_id = 'u-twice'")
    assert {row["id"]: row["official_at"] is not None for row in rows} == {older["id"]: True, newer["id"]: True}
    assert len(await made_official(roster)) == 2


async def test_approvals_without_a_usable_snapshot_are_ignored(
    roster: Roster, link: NatsLink, sign: Callable[..., Headers]
) -> None:
    theirs = await snapshot_of(roster, sign, "u-theirs")
    events = [
        approval(snapshot_id=None),
        approval(snapshot_id=str(uuid.uuid4())),
        approval(snapshot_id="not-a-uuid"),
        approval_of(theirs, unit_id="u-someone-else"),
    ]
    for event in events:
        await publish(link, event)
    await handled(roster, APPROVALS, *events)  # handled, not retried towards the dead-letter queue
    rows = await fetch(roster, "SELECT official_at FROM snapshots WHERE id = $1::uuid", theirs["id"])
    assert rows == [{"official_at": None}]
    assert await made_official(roster) == []
