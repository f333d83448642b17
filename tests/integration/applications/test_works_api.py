"""新建工作, 工作列表, 查看 and 删除 over HTTP on real PostgreSQL (manual 4.1)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from .conftest import Desk, credit_code_in

REGISTRATION = {"application_type": "新单位注册", "certificate_type": "乙级资质证书"}
APPLY_B = {"application_type": "资质申请", "certificate_type": "乙级资质证书"}


async def test_a_new_unit_may_only_register_first(desk: Desk) -> None:
    unit_id = await desk.add_unit()
    headers = desk.unit(unit_id)
    options = (await desk.client.get("/types", headers=headers)).json()
    allowed = {(o["application_type"], o["certificate_type"]) for o in options["items"] if o["allowed"]}
    assert allowed == {("新单位注册", c) for c in options["certificate_types"]}
    refused = await desk.client.post("/works", json=APPLY_B, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "applications.not_eligible"
    assert "新单位注册" in refused.json()["message"]


async def test_create_registration_and_read_it(desk: Desk) -> None:
    unit_id = await desk.add_unit(credit_code=credit_code_in("320000"))
    headers = desk.unit(unit_id)
    created = await desk.client.post("/works", json=REGISTRATION, headers=headers)
    assert created.status_code == 201, created.text
    work = created.json()
    assert work["state"] == "draft" and work["state_label"] == "填报中"
    assert work["jurisdiction"] == "320000"
    assert work["revision"] == -1 and work["deletable"] and work["editable"]
    assert [p["title"] for p in work["pages"]] == ["单位基本信息", "法人及分管资质申报领导信息"]
    assert {p["status"] for p in work["pages"]} == {"未填写"}
    again = await desk.client.get(f"/works/{work['id']}", headers=headers)
    assert again.status_code == 200 and again.json()["id"] == work["id"]
    listed = (await desk.client.get("/works", headers=headers)).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == work["id"]
    conn = await desk.db()
    try:
        subjects = await conn.fetch("SELECT subject FROM outbox")
    finally:
        await conn.close()
    assert any("application_created" in r["subject"] for r in subjects)


async def test_navigation_work_goes_to_the_ministry(desk: Desk) -> None:
    unit_id = await desk.add_unit()
    created = await desk.client.post(
        "/works",
        json={"application_type": "新单位注册", "certificate_type": "导航电子地图制作甲级资质证书"},
        headers=desk.unit(unit_id),
    )
    assert created.json()["jurisdiction"] == "000000"


async def test_one_work_in_progress_even_under_a_race(desk: Desk) -> None:
    unit_id = await desk.add_unit()
    headers = desk.unit(unit_id)
    answers = await asyncio.gather(*(desk.client.post("/works", json=REGISTRATION, headers=headers) for _ in range(20)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 19
    refused = next(a for a in answers if a.status_code == 409).json()
    assert refused["code"] == "applications.work_in_progress"
    assert refused["message"].startswith("已有正在办理的工作")


async def test_delete_a_never_submitted_work(desk: Desk) -> None:
    unit_id = await desk.add_unit()
    headers = desk.unit(unit_id)
    work = (await desk.client.post("/works", json=REGISTRATION, headers=headers)).json()
    stale = await desk.client.delete(f"/works/{work['id']}", headers={**headers, "If-Match": "99"})
    assert stale.status_code == 409 and stale.json()["code"] == "applications.stale_version"
    deleted = await desk.client.delete(f"/works/{work['id']}", headers=headers)
    assert deleted.status_code == 204
    assert (await desk.client.get(f"/works/{work['id']}", headers=headers)).status_code == 404
    assert (await desk.client.post("/works", json=REGISTRATION, headers=headers)).status_code == 201


async def test_submitted_work_cannot_be_deleted(desk: Desk) -> None:
    unit_id = await desk.add_unit()
    headers = desk.unit(unit_id)
    work = (await desk.client.post("/works", json=REGISTRATION, headers=headers)).json()
    conn = await desk.db()
    try:
        await conn.execute("UPDATE applications SET state = 'submitted', revision = 0 WHERE id = $1", work["id"])
    finally:
        await conn.close()
    refused = await desk.client.delete(f"/works/{work['id']}", headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "applications.not_deletable"


async def test_holder_types_follow_the_replica(desk: Desk) -> None:
    unit_id, headers = await desk.registered_unit()
    number = await desk.add_certificate(unit_id)
    options = (await desk.client.get("/types", headers=headers)).json()["items"]
    by = {(o["application_type"], o["certificate_type"]): o for o in options}
    assert by[("补领证书", "乙级资质证书")]["allowed"]
    assert not by[("补领证书", "甲级资质证书")]["allowed"]
    assert not by[("资质申请", "乙级资质证书")]["allowed"]
    assert by[("资质申请", "甲级资质证书")]["allowed"]
    assert not by[("新单位注册", "乙级资质证书")]["allowed"]
    created = await desk.client.post(
        "/works", json={"application_type": "补领证书", "certificate_type": "乙级资质证书"}, headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["certificate_number"] == number


async def test_unknown_unit_is_told_to_wait(desk: Desk) -> None:
    answer = await desk.client.post("/works", json=REGISTRATION, headers=desk.unit(str(uuid.uuid4())))
    assert answer.status_code == 503 and answer.json()["code"] == "applications.unit_not_known"


async def test_bad_body_names_the_field(desk: Desk) -> None:
    unit_id = await desk.add_unit()
    answer = await desk.client.post(
        "/works", json={"application_type": "随便", "certificate_type": "乙级资质证书"}, headers=desk.unit(unit_id)
    )
    assert answer.status_code == 400
    assert answer.json()["details"][0]["field"] == "$.application_type"


async def test_list_is_paginated_newest_first(desk: Desk) -> None:
    unit_id, headers = await desk.registered_unit()
    conn = await desk.db()
    try:
        for day in range(1, 6):
            await conn.execute(
                """INSERT INTO applications (id, unit_id, credit_code, unit_name, application_type, certificate_type,
                   jurisdiction, state, created_at) VALUES ($1, $2, 'c', 'n', '资质申请', '乙级资质证书', '110000',
                   'withdrawn', $3)""",
                str(uuid.uuid4()),
                unit_id,
                dt.datetime(2024, 1, day, tzinfo=dt.UTC),
            )
    finally:
        await conn.close()
    first = (await desk.client.get("/works?page=1&page_size=2", headers=headers)).json()
    second = (await desk.client.get("/works?page=3&page_size=2", headers=headers)).json()
    assert first["total"] == 5 and len(first["items"]) == 2 and len(second["items"]) == 1
    assert first["items"][0]["created_at"] > first["items"][1]["created_at"] > second["items"][0]["created_at"]
    assert first["items"][0]["state_label"] == "已撤回"


async def test_a_unit_id_that_is_no_uuid_owns_nothing_and_never_500s(desk: Desk) -> None:
    headers = desk.unit("u1")  # a token naming a unit id no unit can have
    listed = await desk.client.get("/works", headers=headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == [] and listed.json()["total"] == 0
    for answer in (
        await desk.client.get("/types", headers=headers),
        await desk.client.post("/works", json=REGISTRATION, headers=headers),
    ):
        assert answer.status_code == 403, answer.text  # not 503: it will never be known
        assert answer.json()["code"] == "applications.unit_id_invalid"
