"""提交 of a 资质申请 with the real staffing and standards services: a failing 满足情况 blocks with the
table in the error body; ``incomplete`` does not block, is stored for the reviewer, and the roster
is snapshotted; staffing down changes nothing and a retry succeeds."""

from __future__ import annotations

from typing import Any

import msgspec

from services.applications.app import create_app as create_applications
from tests.fixtures.apps import client_of, started

from .conftest import Desk
from .flow import Filed, outbox, save, submit

PERSON = {"name": "张三", "id_number": "110101199003074514", "position": "总经理", "mobile": "13800138000"}
UNIT_INFO = {
    "unit_name": "测试测绘有限公司",
    "credit_code": "91110000MA01ABCD1X",
    "registered_address": {"province": "110000", "detail": "海淀区中关村大街1号"},
    "office_address": "北京市海淀区中关村大街1号",
    "legal_representative": "张三",
    "nature": "企业",
    "founded_on": "2010-05-01",
    "contact": "李四",
    "contact_phone": "010-12345678",
}
UPLOADS = {
    "application_form": "申请书",
    "safety": "安全保密制度",
    "quality": "质量保障体系",
    "archives": "档案管理制度",
}


async def filed_application(desk: Desk, certificate_type: str, levels: list[dict[str, Any]]) -> Filed:
    """A verified unit's 资质申请 with every page saved (its roster empty)."""
    unit_id, headers = await desk.registered_unit(
        registered_address="北京市海淀区中关村大街1号", legal_representative="张三"
    )
    created = await desk.client.post(
        "/works", json={"application_type": "资质申请", "certificate_type": certificate_type}, headers=headers
    )
    assert created.status_code == 201, created.text
    work_id, version = created.json()["id"], created.json()["version"]
    for key, purpose in UPLOADS.items():
        documents = {purpose: [await desk.upload(headers, purpose)]}
        version = await save(desk, work_id, headers, key, version, documents=documents)
    licence = {"营业执照": [await desk.upload(headers, "营业执照")]}
    version = await save(desk, work_id, headers, "unit_info", version, values=UNIT_INFO, documents=licence)
    version = await save(desk, work_id, headers, "profile", version, values={"profile": "本单位从事测绘工作十余年。"})
    people = {"legal_person": [PERSON], "qualification_leaders": [PERSON]}
    version = await save(desk, work_id, headers, "leaders", version, values=people)
    version = await save(desk, work_id, headers, "scope", version, values={"levels": levels})
    for roster in ("staff", "equipment"):
        version = await save(desk, work_id, headers, roster, version)
    return Filed(work_id, unit_id, headers, "", version)


async def test_a_failing_standard_blocks_with_the_table(desk: Desk) -> None:
    filed = await filed_application(desk, "乙级资质证书", [{"category": "工程测量", "level": "乙级"}])
    answer = await submit(desk, filed)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == "applications.standard_not_met"
    evaluation = body["details"]["evaluation"]
    assert evaluation["overall"] == "fail"
    [result] = evaluation["results"]
    assert result["category"] == "工程测量" and any(r["status"] == "fail" for r in result["requirements"])
    assert [name for name, _ in await outbox(desk, filed.id)] == ["application_created"]


async def test_incomplete_does_not_block_and_the_roster_is_snapshotted(desk: Desk) -> None:
    filed = await filed_application(desk, "甲级资质证书", [{"category": "互联网地图服务", "level": "甲级"}])
    answer = await submit(desk, filed)
    assert answer.status_code == 200, answer.text
    status = answer.json()
    assert status["evaluation_overall"] == "incomplete" and status["snapshot_id"]
    submitted = dict(await outbox(desk, filed.id))["application_submitted"]
    assert submitted["evaluation"] == "incomplete" and submitted["snapshot_id"] == status["snapshot_id"]
    reviewer = desk.authority(roles=("acceptance",))
    queue = (await desk.client.get("/queue", headers=reviewer)).json()
    assert queue["items"][0]["evaluation_overall"] == "incomplete"
    read = (await desk.client.get(f"/works/{filed.id}/workflow", headers=reviewer)).json()
    assert read["evaluation"]["overall"] == "incomplete"  # the whole table for the review screen
    assert [r["category"] for r in read["evaluation"]["results"]] == ["互联网地图服务"]


async def test_staffing_down_changes_nothing_and_a_retry_succeeds(desk: Desk) -> None:
    filed = await filed_application(desk, "甲级资质证书", [{"category": "互联网地图服务", "level": "甲级"}])
    urls = {**desk.settings.service_urls, "staffing": "http://127.0.0.1:9"}
    broken = create_applications(msgspec.structs.replace(desk.settings, service_urls=urls))
    body = {"expected_version": filed.version}
    async with started(broken), client_of(broken) as client:
        failed = await client.post(f"/works/{filed.id}/submission", json=body, headers=filed.headers)
    assert failed.status_code == 502, failed.text
    conn = await desk.db()
    try:
        row = await conn.fetchrow("SELECT state, revision, version FROM applications WHERE id = $1", filed.id)
    finally:
        await conn.close()
    assert row is not None and (row["state"], row["revision"], row["version"]) == ("draft", -1, filed.version)
    retried = await submit(desk, filed)
    assert retried.status_code == 200, retried.text
    assert retried.json()["revision"] == 0 and retried.json()["snapshot_id"]
