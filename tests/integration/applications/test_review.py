"""The authority's workflow over HTTP: 领取 first and only the holder acts, 受理 → 审查意见 → 批准
by different roles, 退回补齐 and resubmission, 不予批准 with its notice, 撤回, 延期 once, and two
reviewers racing (exactly one wins, the other reads 该申请已被他人处理，请刷新后查看)."""

from __future__ import annotations

import asyncio

from .conftest import Desk
from .flow import NEW_PARTICULARS, accepted_by, act, ok, outbox, records, save, submit, submitted_change

STALE = "该申请已被他人处理，请刷新后查看"


async def test_accept_review_approve_by_three_roles(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerk, reviewer = desk.authority(roles=("acceptance",)), desk.authority(roles=("review",))
    approver = desk.authority(roles=("approval",))
    status = await accepted_by(desk, filed, clerk)
    assert status["state"] == "accepted" and status["holder"] is None
    assert status["deadlines"]["decision_due"] > status["deadlines"]["accepted_on"]
    refused = await act(desk, filed, approver, "claim")
    assert refused.status_code == 403  # 审批 comes after 审查's opinion
    await ok(await act(desk, filed, reviewer, "claim"))
    early = await act(desk, filed, reviewer, "approve")
    assert early.status_code == 403 and early.json()["code"] == "applications.action_not_permitted"
    await ok(await act(desk, filed, reviewer, "review", opinion="材料齐全，符合条件，建议批准"))
    await ok(await act(desk, filed, approver, "claim"))
    approved = await ok(await act(desk, filed, approver, "approve", opinion="同意"))
    assert approved["state"] == "approved" and approved["deadlines"]["decided_on"] is not None
    entries = await records(desk, filed)
    assert [(e["action"], e["actor_role"]) for e in entries] == [
        ("submit", "unit"),
        ("claim", "acceptance"),
        ("accept", "acceptance"),
        ("claim", "review"),
        ("review", "review"),
        ("claim", "approval"),
        ("approve", "approval"),
    ]
    assert entries[4]["opinion"] == "材料齐全，符合条件，建议批准"
    assert entries[6]["authority_name"] == "测试自然资源主管部门"
    events = dict(await outbox(desk, filed.id))
    event = events["application_approved"]
    assert event["changes"] == {
        "unit_name": NEW_PARTICULARS["new_unit_name"],
        "registered_address": "北京市海淀区中关村大街1号",
        "legal_representative": "李四",
    }
    assert event["certificate_number"] == filed.certificate
    assert event["levels"] == [{"category": "工程测量", "level": "乙级", "sub_items": []}]
    assert event["authority_name"] == "测试自然资源主管部门"
    assert event["unit"]["credit_code"] == "91110000MA01ABCD1X"
    assert event["application_type"] == "基本信息变更" and event["revision"] == 0
    assert events["application_accepted"]["deemed"] is False


async def test_claim_first_and_only_the_holder_acts(desk: Desk) -> None:
    filed = await submitted_change(desk)
    first, second = desk.authority(roles=("acceptance",)), desk.authority(roles=("acceptance",))
    unclaimed = await act(desk, filed, first, "accept")
    assert unclaimed.status_code == 409 and unclaimed.json()["code"] == "applications.not_claimed"
    await ok(await act(desk, filed, first, "claim"))
    status = (await desk.client.get(f"/works/{filed.id}/workflow", headers=second)).json()
    assert status["holder"]["name"] and status["actions"] == []
    for action in ("accept", "claim"):
        taken = await act(desk, filed, second, action)
        assert taken.status_code == 409 and taken.json()["code"] == "applications.held_by_other"
    mine = (await desk.client.get(f"/works/{filed.id}/workflow", headers=first)).json()
    assert [a["action"] for a in mine["actions"]] == ["accept", "return"]


async def test_two_reviewers_at_once_exactly_one_wins(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerks = [desk.authority(roles=("acceptance",)) for _ in range(2)]
    body = {"action": "claim", "expected_version": filed.version}
    answers = await asyncio.gather(
        *(desk.client.post(f"/works/{filed.id}/actions", json=body, headers=h) for h in clerks)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    loser = next(a for a in answers if a.status_code == 409).json()
    assert loser["code"] == "applications.stale_version" and loser["message"] == STALE
    assert [e["action"] for e in await records(desk, filed)] == ["submit", "claim"]


async def test_return_with_reasons_then_resubmit_needs_a_fresh_review(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerk = desk.authority(roles=("acceptance", "review", "approval"))
    await ok(await act(desk, filed, clerk, "claim"))
    empty = await act(desk, filed, clerk, "return", reasons=[])
    assert empty.status_code == 400 and empty.json()["details"]["field"] == "$.reasons"
    reasons = ["营业执照扫描件不清晰", "变更证明缺少公章"]
    returned = await ok(await act(desk, filed, clerk, "return", reasons=reasons))
    assert returned["state"] == "returned" and returned["holder"] is None
    seen = await records(desk, filed)  # the unit reads the notice in its 审批记录
    assert seen[-1]["reasons"] == reasons and "一次性补齐" in seen[-1]["notice"]
    filed.version = await save(
        desk,
        filed.id,
        filed.headers,
        "changes",
        filed.version,
        values=NEW_PARTICULARS,
        documents={"变更证明": [filed.documents[1]]},
    )
    again = await submit(desk, filed)
    assert again.status_code == 200 and again.json()["revision"] == 1
    await accepted_by(desk, filed, clerk)
    await ok(await act(desk, filed, clerk, "claim"))
    await ok(await act(desk, filed, clerk, "review", opinion="已补正"))
    await ok(await act(desk, filed, clerk, "claim"))
    approved = await ok(await act(desk, filed, clerk, "approve"))
    assert approved["revision"] == 1
    names = [name for name, _ in await outbox(desk, filed.id)]
    assert names.count("application_submitted") == 2 and "application_returned" in names


async def test_refusal_needs_reasons_and_carries_the_notice_of_remedies(desk: Desk) -> None:
    filed = await submitted_change(desk)
    officer = desk.authority(roles=("acceptance", "review", "approval"))
    await accepted_by(desk, filed, officer)
    await ok(await act(desk, filed, officer, "claim"))
    await ok(await act(desk, filed, officer, "review", opinion="不符合条件"))
    await ok(await act(desk, filed, officer, "claim"))
    bare = await act(desk, filed, officer, "refuse")
    assert bare.status_code == 400 and bare.json()["code"] == "applications.reasons_required"
    refused = await ok(await act(desk, filed, officer, "refuse", reasons=["变更证明与登记信息不符"]))
    assert refused["state"] == "refused" and refused["actions"] == []
    last = (await records(desk, filed))[-1]
    assert "行政复议" in last["notice"] and "行政诉讼" in last["notice"]
    assert "application_refused" in [name for name, _ in await outbox(desk, filed.id)]


async def test_the_unit_withdraws_only_before_acceptance(desk: Desk) -> None:
    filed = await submitted_change(desk)
    withdrawn = await ok(await act(desk, filed, filed.headers, "withdraw"))
    assert withdrawn["state"] == "withdrawn"
    later = await submitted_change(desk, credit_code="91110000MA01ABCD3X")
    await accepted_by(desk, later, desk.authority(roles=("acceptance",)))
    too_late = await act(desk, later, later.headers, "withdraw")
    assert too_late.status_code == 409 and too_late.json()["code"] == "applications.wrong_state"
    claim = await act(desk, later, later.headers, "claim")
    assert claim.status_code == 403


async def test_extension_once_by_approval_with_a_reason(desk: Desk) -> None:
    filed = await submitted_change(desk)
    status = await accepted_by(desk, filed, desk.authority(roles=("acceptance",)))
    due = status["deadlines"]["decision_due"]
    reviewer, approver = desk.authority(roles=("review",)), desk.authority(roles=("approval",))
    assert (await act(desk, filed, reviewer, "extend", opinion="x")).status_code == 403
    assert (await act(desk, filed, approver, "extend")).json()["code"] == "applications.opinion_required"
    extended = await ok(await act(desk, filed, approver, "extend", opinion="需组织专家现场核查"))
    assert extended["deadlines"]["extended"] and extended["deadlines"]["decision_due"] > due
    twice = await act(desk, filed, approver, "extend", opinion="再次延期")
    assert twice.status_code == 409 and twice.json()["code"] == "applications.already_extended"
    last = (await records(desk, filed))[-1]
    assert last["action_label"] == "延期" and last["details"]["decision_due"] == extended["deadlines"]["decision_due"]


async def test_outside_the_jurisdiction_the_work_does_not_exist(desk: Desk) -> None:
    filed = await submitted_change(desk)
    jiangsu = desk.authority(jurisdiction="320000")
    assert (await act(desk, filed, jiangsu, "claim")).status_code == 404
    assert (await desk.client.get(f"/works/{filed.id}/records", headers=jiangsu)).status_code == 404
    ministry = desk.authority(jurisdiction="000000", roles=("acceptance",))
    assert (await act(desk, filed, ministry, "claim")).status_code == 200


async def test_unknown_actions_and_stale_versions(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerk = desk.authority(roles=("acceptance",))
    for action in ("deem", "submit", "nonsense"):
        unknown = await act(desk, filed, clerk if action != "submit" else filed.headers, action)
        assert unknown.status_code == 400 and unknown.json()["details"]["field"] == "$.action"
    stale = await act(desk, filed, clerk, "claim", expected_version=filed.version - 1)
    assert stale.status_code == 409 and stale.json()["message"] == STALE
