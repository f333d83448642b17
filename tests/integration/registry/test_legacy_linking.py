"""Old-regime certificates are linked to their unit by the credit code (issue 18, defect 4): when
identity verifies the unit (UnitVerified, 新单位注册 approved), or at load time when it was
verified already. The unit then lists them as its own, the authority finds them under the unit,
and CertificateLinked tells the services that key on the unit id."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path

import msgspec

from contracts.identity.events import UnitVerified
from contracts.registry.events import CertificateIssued, CertificateLinked
from contracts.subjects import subject_for
from services.registry.__main__ import legacy_load
from tests.fixtures.waiting import eventually

from .conftest import Headers, Registry

Sign = Callable[..., Headers]
CREDIT_CODE = "91110108MA01LEGA1X"
EXPORT = (
    "证书编号,单位名称,统一社会信用代码,证书等级,专业类别,发证机关,发证日期,有效期至\n"
    f"甲测资字1100471,北京老测绘院,{CREDIT_CODE},甲,大地测量,国家测绘地理信息局,2016-05-01,2099-12-31\n"
    f"乙测资字1105048,北京老测绘院,{CREDIT_CODE},乙,工程测量;地籍测绘,北京市测绘局,2018-03-20,2099-12-31\n"
    "乙测资字1105049,别的测绘院,91110108MA01QTHR1X,乙,工程测量,北京市测绘局,2018-03-20,2099-12-31\n"
)
OURS = ["乙测资字1105048", "甲测资字1100471"]
LINKER = "registry-units-verified"


def verified(unit_id: str) -> UnitVerified:
    return UnitVerified(
        aggregate_id=unit_id,
        unit_id=unit_id,
        unit_name="北京老测绘院",
        credit_code=CREDIT_CODE,
        application_id=str(uuid.uuid4()),
    )


async def load(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_text(EXPORT, encoding="utf-8")
    assert await asyncio.to_thread(legacy_load, path, registry.settings) == 0


async def delivered(registry: Registry, *events: UnitVerified, again: bool = False) -> None:
    for event in events:
        await registry.publish(event, again=again)
    wanted = {event.event_id for event in events}

    async def done() -> bool:
        rows = await registry.fetch("SELECT event_id FROM inbox WHERE consumer = $1", LINKER)
        return wanted <= {row["event_id"] for row in rows}

    await eventually(done)


async def mine(registry: Registry, sign: Sign, unit_id: str) -> list[str]:
    answer = await registry.client.get("/certificates/mine", headers=sign(role="unit", unit_id=unit_id))
    assert answer.status_code == 200, answer.text
    return sorted(item["number"] for item in answer.json()["items"])


async def linked_events(registry: Registry) -> list[dict[str, object]]:
    rows = await registry.fetch(
        "SELECT payload FROM outbox WHERE subject = $1 ORDER BY id", subject_for(CertificateLinked)
    )
    return [msgspec.json.decode(row["payload"]) for row in rows]


async def test_verifying_the_unit_links_its_legacy_certificates(registry: Registry, sign: Sign, tmp_path: Path) -> None:
    await load(registry, tmp_path)
    unit_id = str(uuid.uuid4())
    assert await mine(registry, sign, unit_id) == []  # loaded before the unit was known

    event = verified(unit_id)
    await delivered(registry, event)
    assert await mine(registry, sign, unit_id) == sorted(OURS)
    register = await registry.client.get(
        "/register",
        params={"credit_code": CREDIT_CODE},
        headers=sign(role="authority", jurisdiction="110000", roles=("approval",)),
    )
    assert sorted(e["number"] for e in register.json()["items"]) == sorted(OURS)
    other = await registry.fetch("SELECT unit_id FROM certificates WHERE number = '乙测资字1105049'")
    assert other == [{"unit_id": None}]  # another credit code's certificate stays unlinked
    announced = await linked_events(registry)
    assert sorted((e["number"], e["unit_id"], e["credit_code"]) for e in announced) == sorted(
        (number, unit_id, CREDIT_CODE) for number in OURS
    )

    await delivered(registry, event, again=True)  # a redelivery links nothing twice
    assert len(await linked_events(registry)) == 2


async def test_a_load_after_the_unit_was_verified_links_at_once(registry: Registry, sign: Sign, tmp_path: Path) -> None:
    unit_id = str(uuid.uuid4())
    await delivered(registry, verified(unit_id))
    await load(registry, tmp_path)
    assert await mine(registry, sign, unit_id) == sorted(OURS)
    issued = [
        msgspec.json.decode(row["payload"], type=CertificateIssued)
        for row in await registry.fetch("SELECT payload FROM outbox WHERE aggregate_id = ANY($1::text[])", OURS)
    ]
    assert sorted((e.number, e.unit_id) for e in issued) == sorted((number, unit_id) for number in OURS)
    assert await linked_events(registry) == []  # issued linked: nothing to announce later
