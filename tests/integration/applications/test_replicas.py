"""The replicas on real NATS: identity's units, the registry's certificates (2021 and legacy, the
latter matched by credit code) and the unit's own approved particulars — redelivery-safe."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from contracts.applications.events import ApplicationApproved, UnitParticulars
from contracts.base import Event
from contracts.identity.events import UnitAccountRegisteredV2, UnitVerified
from contracts.registry.events import (
    CertificateCancelled,
    CertificateChanged,
    CertificateIssued,
    CertifiedCategory,
    Regime,
)
from contracts.subjects import subject_for
from deploy.local.components import NatsServer
from services.kernel.nats import NatsLink
from tests.builders.registry import certificate_issued
from tests.fixtures.waiting import eventually

from .conftest import Desk, credit_code_in

TODAY = dt.date(2024, 3, 1)


@pytest.fixture
async def link(applications_nats: NatsServer) -> AsyncIterator[NatsLink]:
    link = NatsLink(applications_nats.url, name="applications-consumer-test")
    await link.connect()
    yield link
    await link.close()


async def publish(link: NatsLink, event: Event, *, again: bool = False) -> None:
    msg_id = f"again-{event.event_id}" if again else str(event.event_id)
    await link.js.publish(subject_for(type(event)), msgspec.json.encode(event), headers={"Nats-Msg-Id": msg_id})


async def fetch(desk: Desk, query: str, *args: Any) -> list[dict[str, Any]]:
    conn = await desk.db()
    try:
        return [dict(row) for row in await conn.fetch(query, *args)]
    finally:
        await conn.close()


async def handled(desk: Desk, *events: Event) -> None:
    wanted = {event.event_id for event in events}

    async def done() -> bool:
        return wanted <= {row["event_id"] for row in await fetch(desk, "SELECT event_id FROM inbox")}

    await eventually(done)


def issued(
    unit_id: str | None, credit_code: str, *, regime: Regime = "2021", version: int = 1, **kw: Any
) -> CertificateIssued:
    """A 工程测量 certificate issued on TODAY, valid for 1,800 days."""
    return certificate_issued(
        kw.pop("number", f"N{uuid.uuid4().hex[:8]}"),
        since=TODAY,
        unit_id=unit_id,
        credit_code=credit_code,
        categories=("工程测量",),
        level=kw.pop("level", "乙级"),
        regime=regime,
        certificate_type=kw.pop("certificate_type", "乙级资质证书"),
        valid_until=TODAY + dt.timedelta(days=1800),
        version=version,
    )


async def options(desk: Desk, unit_id: str) -> dict[tuple[str, str], bool]:
    items = (await desk.client.get("/types", headers=desk.unit(unit_id))).json()["items"]
    return {(o["application_type"], o["certificate_type"]): o["allowed"] for o in items}


async def test_units_and_verification(desk: Desk, link: NatsLink) -> None:
    unit_id, code = str(uuid.uuid4()), credit_code_in("330000")
    registered = UnitAccountRegisteredV2(
        aggregate_id=unit_id,
        account_id=str(uuid.uuid4()),
        unit_id=unit_id,
        username="zj",
        unit_name="浙江测绘",
        credit_code=code,
    )
    await publish(link, registered)
    await handled(desk, registered)
    assert (await options(desk, unit_id))[("新单位注册", "乙级资质证书")]
    verified = UnitVerified(
        aggregate_id=unit_id, unit_id=unit_id, unit_name="浙江测绘院", credit_code=code, application_id="a"
    )
    await publish(link, verified)
    await handled(desk, verified)
    await publish(link, registered, again=True)  # a late redelivery of the registration
    marker_id = str(uuid.uuid4())
    marker = UnitAccountRegisteredV2(
        aggregate_id=marker_id,
        account_id=marker_id,
        unit_id=marker_id,
        username="m",
        unit_name="标记",
        credit_code=code,
    )
    await publish(link, marker)  # handled after the redelivery by the same consumer
    await handled(desk, marker)
    rows = await fetch(desk, "SELECT unit_name, verified FROM units WHERE unit_id = $1", unit_id)
    assert rows == [{"unit_name": "浙江测绘院", "verified": True}]
    assert not (await options(desk, unit_id))[("新单位注册", "乙级资质证书")]


async def test_certificates_versions_and_cancellation(desk: Desk, link: NatsLink) -> None:
    code = credit_code_in("340000")
    unit_id, _ = await desk.registered_unit(credit_code=code)
    first = issued(unit_id, code)
    changed = CertificateChanged(
        aggregate_id=first.number,
        certificate_id=first.certificate_id,
        number=first.number,
        unit_id=unit_id,
        credit_code=code,
        certificate_type="乙级资质证书",
        change="专业范围变更",
        categories=[CertifiedCategory(category="海洋测绘", level="乙级")],
        issued_on=TODAY,
        valid_until=first.valid_until,
        certificate_version=2,
    )
    await publish(link, changed)
    await publish(link, first)  # arrives after the newer version: kept out
    await handled(desk, changed, first)
    rows = await fetch(desk, "SELECT certificate_version, categories::text AS c FROM certificates")
    assert rows[0]["certificate_version"] == 2 and "海洋测绘" in rows[0]["c"]
    assert (await options(desk, unit_id))[("补领证书", "乙级资质证书")]
    cancelled = CertificateCancelled(
        aggregate_id=first.number,
        certificate_id=first.certificate_id,
        number=first.number,
        unit_id=unit_id,
        credit_code=code,
        certificate_type="乙级资质证书",
        cancelled_on=TODAY,
        reason="不再从事测绘",
    )
    await publish(link, cancelled)
    await handled(desk, cancelled)
    assert not (await options(desk, unit_id))[("补领证书", "乙级资质证书")]


async def test_a_legacy_certificate_is_matched_by_credit_code(desk: Desk, link: NatsLink) -> None:
    code = credit_code_in("350000")
    unit_id, _ = await desk.registered_unit(credit_code=code)
    legacy = issued(None, code, regime="legacy", certificate_type="甲级资质证书", level="甲")
    await publish(link, legacy)
    await handled(desk, legacy)
    allowed = await options(desk, unit_id)
    assert allowed[("复审换证", "甲级资质证书")] and not allowed[("复审换证", "乙级资质证书")]


async def test_own_approved_registration_records_the_particulars(desk: Desk, link: NatsLink) -> None:
    code = credit_code_in("360000")
    unit_id = await desk.add_unit(credit_code=code)
    approved = ApplicationApproved(
        aggregate_id="a1",
        application_id="a1",
        unit_id=unit_id,
        revision=0,
        application_type="新单位注册",
        certificate_type="乙级资质证书",
        jurisdiction="360000",
        approved_on=TODAY,
        unit=UnitParticulars(
            unit_name="江西测绘", credit_code=code, registered_address="江西省南昌市1号", legal_representative="钱七"
        ),
    )
    await publish(link, approved)
    await publish(link, approved, again=True)
    await handled(desk, approved)
    rows = await fetch(
        desk,
        "SELECT unit_name, verified, registered_address, legal_representative FROM units WHERE unit_id = $1",
        unit_id,
    )
    assert rows == [
        {
            "unit_name": "江西测绘",
            "verified": True,
            "registered_address": "江西省南昌市1号",
            "legal_representative": "钱七",
        }
    ]
