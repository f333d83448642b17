"""乙级 → 甲级 (issue 18, defect 1) with the real staffing and standards services, from the
registry's CertificateIssued to what the unit's 资质申请 answers: a unit that has held 测绘航空摄影
乙级 for 24 months, with the staff, equipment and 650万元 of 业绩 甲级 needs, is offered 测绘业绩信息
and its 提交 passes 满足情况; at 23 months 提交 is refused, the table naming 满2年."""

from __future__ import annotations

import asyncpg

from contracts.registry.events import CertificateIssued
from services.applications.clock import today
from services.kernel.nats import NatsLink
from services.staffing.protection import Protector
from tests.builders.registry import certificate_issued, months_before
from tests.fixtures.infra import TEST_SECRETS
from tests.fixtures.waiting import eventually

from ..staffing.roster_rows import insert_aerial_jia_roster
from .conftest import Desk
from .flow import Filed, submit
from .test_replicas import fetch, link, publish
from .test_submission_roster import filed_application

__all__ = ["link"]  # the NATS fixture, used by the tests below

JIA = [{"category": "测绘航空摄影", "level": "甲级"}]


async def yi_holder(desk: Desk, link: NatsLink, *, months: int, number: str) -> tuple[Filed, CertificateIssued]:
    """A verified unit with the whole 测绘航空摄影 甲级 roster in staffing and a 乙级 certificate
    issued ``months`` ago (published as the registry does), its 资质申请 甲级 filed."""
    filed = await filed_application(desk, "甲级资质证书", JIA)
    conn = await asyncpg.connect(desk.neighbours.staffing_database)
    try:
        protector = Protector(TEST_SECRETS["staffing_data_key"], TEST_SECRETS["staffing_hash_key"])
        await insert_aerial_jia_roster(conn, protector, filed.unit_id)
    finally:
        await conn.close()
    event = certificate_issued(
        number, since=months_before(today(), months), unit_id=filed.unit_id, credit_code="91110000MA01ABCD1X"
    )
    await publish(link, event)

    async def both_know_it() -> bool:
        replica = await fetch(desk, "SELECT 1 FROM certificates WHERE number = $1", number)
        staffing = await asyncpg.connect(desk.neighbours.staffing_database)
        try:
            held = await staffing.fetchval("SELECT count(*) FROM held_levels WHERE number = $1", number)
        finally:
            await staffing.close()
        return bool(replica) and held == 1

    await eventually(both_know_it)
    return filed, event


async def pages_of(desk: Desk, filed: Filed) -> list[str]:
    answer = await desk.client.get(f"/works/{filed.id}", headers=filed.headers)
    assert answer.status_code == 200, answer.text
    return [page["title"] for page in answer.json()["pages"]]


async def save_projects(desk: Desk, filed: Filed) -> None:
    saved = await desk.client.put(
        f"/works/{filed.id}/pages/projects", json={"version": filed.version}, headers=filed.headers
    )
    assert saved.status_code == 200, saved.text
    filed.version = int(saved.json()["version"])


async def test_24_months_of_yi_with_the_roster_submits(desk: Desk, link: NatsLink) -> None:
    filed, _ = await yi_holder(desk, link, months=24, number="乙测资字11000901")
    assert "测绘业绩信息" in await pages_of(desk, filed)
    await save_projects(desk, filed)
    answer = await submit(desk, filed)
    assert answer.status_code == 200, answer.text
    assert answer.json()["evaluation_overall"] == "pass"


async def test_23_months_are_refused_naming_man_2_nian(desk: Desk, link: NatsLink) -> None:
    filed, _ = await yi_holder(desk, link, months=23, number="乙测资字11000902")
    await save_projects(desk, filed)
    answer = await submit(desk, filed)
    assert answer.status_code == 400, answer.text
    [result] = answer.json()["details"]["evaluation"]["results"]
    [held] = [r for r in result["requirements"] if r["id"] == "performance.prerequisite"]
    assert (held["status"], held["actual"]) == ("fail", 23)
    assert "不满2年" in held["message"]
