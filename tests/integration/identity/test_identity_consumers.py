"""Identity's consumer of approvals on real NATS: 新单位注册 verifies the unit with the approved
particulars, 基本信息变更 changes them, each emits UnitVerified — once, whatever the redeliveries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from contracts.applications.events import ApplicationApproved, UnitParticulars
from contracts.base import Event
from contracts.identity.events import UnitVerified
from contracts.subjects import subject_for
from deploy.local.components import NatsServer
from services.kernel.nats import NatsLink
from tests.fixtures.waiting import eventually

CONSUMER = "identity-applications-approved"
Headers = dict[str, str]


@pytest.fixture
async def link(identity_nats: NatsServer) -> AsyncIterator[NatsLink]:
    link = NatsLink(identity_nats.url, name="identity-consumer-test")
    await link.connect()
    yield link
    await link.close()


async def publish(link: NatsLink, event: Event, *, again: bool = False) -> None:
    """Publish ``event``; ``again``: the same event once more, past the duplicate window."""
    msg_id = f"again-{event.event_id}" if again else str(event.event_id)
    await link.js.publish(subject_for(type(event)), msgspec.json.encode(event), headers={"Nats-Msg-Id": msg_id})


async def handled(pool: asyncpg.Pool[Any], *events: Event) -> None:
    wanted = {event.event_id for event in events}

    async def done() -> bool:
        rows = await pool.fetch("SELECT event_id FROM inbox WHERE consumer = $1", CONSUMER)
        return wanted <= {row["event_id"] for row in rows}

    await eventually(done)


def approval(owner: dict[str, Any], application_type: str, **fields: Any) -> ApplicationApproved:
    application_id = str(uuid.uuid4())
    return ApplicationApproved(
        aggregate_id=application_id,
        application_id=application_id,
        unit_id=owner["unit_id"],
        revision=0,
        application_type=application_type,
        certificate_type="乙级资质证书",
        jurisdiction="110000",
        approved_on=dt.date(2026, 11, 30),
        **fields,
    )


def registration_approval(unit: dict[str, Any], name: str) -> ApplicationApproved:
    particulars = UnitParticulars(
        unit_name=name,
        credit_code=unit["credit_code"],
        registered_address="北京市海淀区中关村大街1号",
        legal_representative="李四",
    )
    return approval(unit, "新单位注册", unit=particulars)


async def verified_events(pool: asyncpg.Pool[Any], unit_id: str) -> list[UnitVerified]:
    rows = await pool.fetch(
        "SELECT payload FROM outbox WHERE subject = $1 AND aggregate_id = $2 ORDER BY id",
        subject_for(UnitVerified),
        unit_id,
    )
    return [msgspec.json.decode(row["payload"], type=UnitVerified) for row in rows]


async def me(client: httpx.AsyncClient, sign: Callable[..., Headers], unit: dict[str, Any]) -> dict[str, Any]:
    answer = await client.get("/me", headers=sign(account_id=unit["account_id"], unit_id=unit["unit_id"]))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_an_approved_registration_verifies_the_unit_once(
    client: httpx.AsyncClient,
    register: Callable[..., Any],
    link: NatsLink,
    pool: asyncpg.Pool[Any],
    sign: Callable[..., Headers],
) -> None:
    unit = await register()
    assert (await me(client, sign, unit))["verified"] is False
    event = registration_approval(unit, "北京某测绘（集团）有限公司")
    await publish(link, event)
    await publish(link, event, again=True)  # redelivered
    await handled(pool, event)

    mine = await me(client, sign, unit)
    assert (mine["unit_name"], mine["registered_address"], mine["legal_representative"], mine["verified"]) == (
        "北京某测绘（集团）有限公司",
        "北京市海淀区中关村大街1号",
        "李四",
        True,
    )
    row = await pool.fetchrow(
        "SELECT name_key, verified_by_application::text FROM units WHERE id = $1::uuid", unit["unit_id"]
    )
    assert row is not None and row["verified_by_application"] == event.application_id
    assert row["name_key"] == "北京某测绘(集团)有限公司"
    (verified,) = await verified_events(pool, unit["unit_id"])
    assert (verified.unit_name, verified.credit_code, verified.application_id) == (
        "北京某测绘（集团）有限公司",
        unit["credit_code"],
        event.application_id,
    )


async def test_an_approved_change_of_particulars_applies_what_it_names(
    client: httpx.AsyncClient,
    register: Callable[..., Any],
    link: NatsLink,
    pool: asyncpg.Pool[Any],
    sign: Callable[..., Headers],
) -> None:
    unit = await register()
    first = registration_approval(unit, unit["unit_name"])
    change = approval(unit, "基本信息变更", changes={"legal_representative": "王五", "unrelated": "x"})
    await publish(link, first)
    await publish(link, change)
    await handled(pool, first, change)

    mine = await me(client, sign, unit)
    assert (mine["unit_name"], mine["registered_address"], mine["legal_representative"]) == (
        unit["unit_name"],
        "北京市海淀区中关村大街1号",
        "王五",
    )
    events = await verified_events(pool, unit["unit_id"])
    assert [event.application_id for event in events] == [first.application_id, change.application_id]


async def test_a_new_name_another_unit_holds_is_not_taken(
    client: httpx.AsyncClient,
    register: Callable[..., Any],
    link: NatsLink,
    pool: asyncpg.Pool[Any],
    sign: Callable[..., Headers],
) -> None:
    holder, unit = await register(), await register()
    event = approval(
        unit, "基本信息变更", changes={"unit_name": f" {holder['unit_name']} ", "registered_address": "上海市"}
    )
    await publish(link, event)
    await handled(pool, event)
    mine = await me(client, sign, unit)
    assert (mine["unit_name"], mine["registered_address"]) == (unit["unit_name"], "上海市")


async def test_approvals_of_other_types_or_unknown_units_change_nothing(
    register: Callable[..., Any], link: NatsLink, pool: asyncpg.Pool[Any]
) -> None:
    unit = await register()
    stranger = {"unit_id": str(uuid.uuid4()), "credit_code": unit["credit_code"]}
    events = [
        approval(unit, "资质申请"),
        registration_approval(stranger, "无名单位"),
        approval({"unit_id": "u-1"}, "新单位注册"),
    ]
    for event in events:
        await publish(link, event)
    await handled(pool, *events)
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE subject = $1", subject_for(UnitVerified)) == 0
    assert await pool.fetchval("SELECT verified_at FROM units WHERE id = $1::uuid", unit["unit_id"]) is None
