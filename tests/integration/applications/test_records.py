"""审批记录 (4.4): append-only in the database — raw UPDATE, DELETE and TRUNCATE are refused by the
trigger — and readable only by the owning unit and a covering authority."""

from __future__ import annotations

import asyncpg
import pytest

from .conftest import Desk, Headers, credit_code_in
from .flow import act, ok, records, submitted_change


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE review_records SET opinion = '改过的意见' WHERE application_id = $1",
        "DELETE FROM review_records WHERE application_id = $1",
        "TRUNCATE review_records",
    ],
)
async def test_the_database_refuses_to_change_the_record(desk: Desk, statement: str) -> None:
    filed = await submitted_change(desk)
    conn = await desk.db()
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="审批记录只能追加"):
            if "$1" in statement:
                await conn.execute(statement, filed.id)
            else:
                await conn.execute(statement)
        assert await conn.fetchval("SELECT count(*) FROM review_records WHERE application_id = $1", filed.id) == 1
    finally:
        await conn.close()


def a_clerk(desk: Desk, username: str) -> Headers:
    """A 北京 受理 officer of 北京市规划和自然资源委员会, signed in as ``username``."""
    return desk.sign(
        account_id=f"clerk-{username}",
        role="authority",
        jurisdiction="110000",
        roles=("acceptance",),
        username=username,
        org_name="北京市规划和自然资源委员会",
    )


async def test_every_transition_is_recorded_with_actor_role_time_and_attachments(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerk = a_clerk(desk, "shouli01")
    await ok(await act(desk, filed, clerk, "claim"))
    await ok(
        await act(
            desk, filed, clerk, "return", reasons=["缺少变更证明原件"], attachments=["notice-scan-1"], opinion="请补正"
        )
    )
    entries = await records(desk, filed, clerk)
    last = entries[-1]
    assert (last["actor_name"], last["actor_role"], last["actor_role_label"]) == ("shouli01", "acceptance", "受理")
    assert last["authority_name"] == "北京市规划和自然资源委员会"
    assert (last["opinion"], last["reasons"], last["attachments"]) == (
        "请补正",
        ["缺少变更证明原件"],
        ["notice-scan-1"],
    )
    assert (last["from_state"], last["to_state"]) == ("submitted", "returned")
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert entries[0]["recorded_at"] <= last["recorded_at"]


async def test_no_unit_reads_another_units_record(desk: Desk) -> None:
    filed = await submitted_change(desk)
    other_unit = await desk.add_unit(credit_code=credit_code_in("110000", "MA01ABCD9X"))
    stranger = await desk.client.get(f"/works/{filed.id}/records", headers=desk.unit(other_unit))
    assert stranger.status_code == 404
    assert (await desk.client.get(f"/works/{filed.id}/workflow", headers=desk.unit(other_unit))).status_code == 404
    assert len(await records(desk, filed, desk.authority(jurisdiction="110000"))) == 1
    assert (await desk.client.get(f"/works/{filed.id}/records", headers=desk.authority("320000"))).status_code == 404


async def test_the_unit_reads_the_authority_and_step_never_the_officers_username(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerk = a_clerk(desk, "shouli02")
    await ok(await act(desk, filed, clerk, "claim"))
    for_unit = await desk.client.get(f"/works/{filed.id}/workflow", headers=filed.headers)
    assert for_unit.status_code == 200 and for_unit.json()["holder"] is None
    assert "shouli02" not in for_unit.text and "clerk-shouli02" not in for_unit.text
    for_clerk = await ok(await desk.client.get(f"/works/{filed.id}/workflow", headers=clerk))
    assert for_clerk["holder"]["name"] == "shouli02"
    await ok(await act(desk, filed, clerk, "return", reasons=["缺少变更证明原件"]))

    answer = await desk.client.get(f"/works/{filed.id}/records", headers=filed.headers)
    assert answer.status_code == 200 and "shouli02" not in answer.text
    items = answer.json()["items"]
    submitted, returned = items[0], items[-1]
    assert all(item["actor_name"] is None for item in items[1:])
    assert submitted["actor_role"] == "unit" and submitted["actor_name"]
    assert (returned["authority_name"], returned["actor_role_label"], returned["action_label"]) == (
        "北京市规划和自然资源委员会",
        "受理",
        "退回补齐",
    )
    assert returned["actor_name"] is None
    assert (await records(desk, filed, clerk))[-1]["actor_name"] == "shouli02"


async def test_a_returned_work_carries_its_notice_and_marks_the_pages_it_names(desk: Desk) -> None:
    """Issue 18: 退回补齐 was only a line of the 审批记录; now the work (and its 工作列表 row) carries
    the whole notice, and each page it names is marked until the unit saves it again."""
    filed = await submitted_change(desk)
    clerk = a_clerk(desk, "shouli03")
    await ok(await act(desk, filed, clerk, "claim"))
    bad = await act(desk, filed, clerk, "return", reasons=["缺少变更证明原件"], pages=["变更,信息"])
    assert bad.status_code == 400
    await ok(await act(desk, filed, clerk, "return", reasons=["缺少变更证明原件"], pages=["changes"]))
    work = await ok(await desk.client.get(f"/works/{filed.id}", headers=filed.headers))
    notice = work["return_notice"]
    assert notice["reasons"] == ["缺少变更证明原件"] and notice["pages"] == ["变更信息"]
    assert notice["notice"].startswith("经审查") and notice["authority_name"] == "北京市规划和自然资源委员会"
    assert {p["key"]: p["returned"] for p in work["pages"]} == {"application_form": False, "changes": True}
    listed = await ok(await desk.client.get("/works", headers=filed.headers))
    assert listed["items"][0]["return_notice"] == notice
    page = await ok(await desk.client.get(f"/works/{filed.id}/pages/changes", headers=filed.headers))
    assert page["returned"]
    saved = await desk.client.put(
        f"/works/{filed.id}/pages/changes",
        json={"values": page["values"], "documents": page["documents"], "version": work["version"]},
        headers=filed.headers,
    )
    assert saved.status_code == 200, saved.text
    assert not saved.json()["returned"]
    again = await ok(await desk.client.get(f"/works/{filed.id}", headers=filed.headers))
    assert not any(p["returned"] for p in again["pages"]) and again["return_notice"] == notice
