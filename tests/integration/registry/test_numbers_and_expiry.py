"""The number race (100 concurrent approvals in one province and level: 100 distinct consecutive
numbers) and the expiry job (已过期 with CertificateExpired; the 延续 warning in 我的资质证书)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from services.kernel import Runtime
from services.registry.handlers import approvals, expiry

from .conftest import Headers, Registry, approval


def runtime_of(registry: Registry) -> Runtime:
    runtime = registry.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


async def test_one_hundred_concurrent_approvals_get_one_hundred_consecutive_numbers(registry: Registry) -> None:
    runtime = runtime_of(registry)
    events = [
        approval(jurisdiction="320000", certificate_type="乙级资质证书", levels=(("工程测量", "乙级"),))
        for _ in range(100)
    ]
    await asyncio.gather(*(approvals.apply_approval(event, runtime.uow()) for event in events))
    rows = await registry.fetch("SELECT number FROM certificates WHERE number LIKE '乙测资字32%'")
    numbers = sorted(row["number"] for row in rows)
    assert numbers == [f"乙测资字32{n:06d}" for n in range(1, 101)]
    other = approval(jurisdiction="320000")  # another level: its own counter
    await approvals.apply_approval(other, runtime.uow())
    assert (await registry.certificate(other.unit_id))["number"] == "甲测资字32000001"


async def test_the_expiry_job_marks_ended_certificates_expired_once(registry: Registry) -> None:
    runtime = runtime_of(registry)
    old, fresh = approval(approved_on=dt.date(2019, 1, 10)), approval(approved_on=dt.date(2024, 1, 10))
    for event in (old, fresh):
        await approvals.apply_approval(event, runtime.uow())
    day = dt.date(2024, 1, 10)  # the old one was valid until 2024-01-09
    assert await expiry.expire_certificates(runtime.uow(), today=lambda: day) == 1
    assert await expiry.expire_certificates(runtime.uow(), today=lambda: day) == 0
    expired = await registry.certificate(old.unit_id)
    assert (expired["status"], (await registry.certificate(fresh.unit_id))["status"]) == ("已过期", "有效")
    last = (await registry.emitted(expired["number"]))[-1]
    assert (last["type"], last["expired_on"]) == ("registry.certificate_expired.v1", "2024-01-10")


async def test_my_certificates_flag_those_expiring_within_the_lead_time(
    registry: Registry, sign: Callable[..., Headers]
) -> None:
    runtime = runtime_of(registry)
    today = dt.date.today()
    soon = approval(approved_on=today.replace(year=today.year - 5) + dt.timedelta(days=20))
    await approvals.apply_approval(soon, runtime.uow())
    later = approval(unit_id=soon.unit_id, certificate_type="乙级资质证书", approved_on=today)
    await approvals.apply_approval(later, runtime.uow())
    answer = await registry.client.get("/certificates/mine", headers=sign(role="unit", unit_id=soon.unit_id))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    flags = {item["certificate_type"]: item["expiring_soon"] for item in body["items"]}
    assert (flags, body["warning_days"]) == ({"甲级资质证书": True, "乙级资质证书": False}, 30)
    other = await registry.client.get("/certificates/mine", headers=sign(role="unit", unit_id="u-other"))
    assert other.json()["items"] == []
