"""A property-based authorization matrix over (unit, authority jurisdiction, roles, state, holder,
review, action) against a small oracle written from the issue, not from the workflow module: nobody
acts outside it, a refused action changes nothing, and no unit reads another unit's work or record."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.applications.data.workflow import load_workflow
from services.applications.model import workflow
from services.applications.model.workflow import Actor, Refusal, Situation

from .conftest import Desk

ACCOUNT = "acct-under-test"
OWNER = "owner"
STEP_ROLE = {
    "accept": "acceptance",
    "return": "acceptance",
    "review": "review",
    "approve": "approval",
    "refuse": "approval",
    "extend": "approval",
}
FROM = {
    "claim": {"submitted", "accepted"},
    "accept": {"submitted"},
    "return": {"submitted"},
    "withdraw": {"submitted", "returned"},
    "review": {"accepted"},
    "approve": {"accepted"},
    "refuse": {"accepted"},
    "extend": {"accepted"},
}
HELD = {"accept", "return", "review", "approve", "refuse"}

callers = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["owner", "other_unit"])}),
    st.fixed_dictionaries(
        {
            "kind": st.just("authority"),
            "jurisdiction": st.sampled_from(["110000", "110000", "110000", "000000", "320000", "110100"]),
            "roles": st.sets(st.sampled_from(["acceptance", "review", "approval"])),
        }
    ),
)
works = st.fixed_dictionaries(
    {
        "state": st.sampled_from(
            ["submitted", "accepted"] * 3 + ["draft", "returned", "approved", "refused", "withdrawn"]
        ),
        "holder": st.sampled_from([None, "self", "someone-else"]),
        "reviewed": st.booleans(),
        "extended": st.booleans(),
    }
)


def oracle(caller: dict[str, Any], work: dict[str, Any], action: str) -> int:
    """The status the issue implies for ``caller`` taking ``action`` on ``work`` (jurisdiction 110000)."""
    submitted_once = work["state"] != "draft"
    if caller["kind"] == "other_unit":
        return 404
    if caller["kind"] == "authority":
        covers = caller["jurisdiction"] in ("110000", "000000")
        if not (covers and submitted_once):
            return 404
        if (
            action == "withdraw"
            or not caller["roles"]
            or (action in STEP_ROLE and STEP_ROLE[action] not in caller["roles"])
        ):
            return 403
    elif action != "withdraw":
        return 403
    if work["state"] not in FROM[action]:
        return 409
    return _step(caller, work, action)


def _step(caller: dict[str, Any], work: dict[str, Any], action: str) -> int:
    reviewed = work["reviewed"] and work["state"] == "accepted"
    if action == "claim":
        if work["holder"] == "someone-else":
            return 409
        next_role = "acceptance" if work["state"] == "submitted" else ("approval" if reviewed else "review")
        return 200 if next_role in caller["roles"] else 403
    if action in HELD and work["holder"] != "self":
        return 409
    if (action == "review" and reviewed) or (action in ("approve", "refuse") and not reviewed):
        return 409
    if action == "extend" and work["extended"]:
        return 409
    return 200


async def _insert(desk: Desk, work: dict[str, Any], owner_unit: str) -> str:
    work_id = str(uuid.uuid4())
    holder = {"self": ACCOUNT, "someone-else": "acct-other", None: None}[work["holder"]]
    conn = await desk.db()
    try:
        await conn.execute(
            """INSERT INTO applications (id, unit_id, credit_code, unit_name, application_type, certificate_type,
                 jurisdiction, state, revision, version, holder_account_id, holder_name, claimed_at, submitted_on,
                 accept_due, accepted_on, decision_due, extended, reviewed_revision)
               VALUES ($1, $2, '91110000MA01ABCD1X', '测试测绘有限公司', '补领证书', '乙级资质证书', '110000', $3, $4,
                 5, $5, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END, current_date, current_date + 7,
                 current_date, current_date + 21, $6, $7)""",
            work_id,
            owner_unit,
            work["state"],
            -1 if work["state"] == "draft" else 0,
            holder,
            work["extended"],
            0 if work["reviewed"] else None,
        )
    finally:
        await conn.close()
    return work_id


def _headers(desk: Desk, caller: dict[str, Any], owner_unit: str) -> dict[str, str]:
    if caller["kind"] == "owner":
        return desk.sign(account_id=ACCOUNT, role="unit", unit_id=owner_unit)
    if caller["kind"] == "other_unit":
        return desk.sign(account_id=ACCOUNT, role="unit", unit_id=str(uuid.uuid4()))
    return desk.sign(
        account_id=ACCOUNT,
        role="authority",
        jurisdiction=caller["jurisdiction"],
        roles=tuple(sorted(caller["roles"])),
        org_name="某自然资源主管部门",
    )


async def _version_and_records(desk: Desk, work_id: str) -> tuple[int, int]:
    conn = await desk.db()
    try:
        version = await conn.fetchval("SELECT version FROM applications WHERE id = $1", work_id)
        count = await conn.fetchval("SELECT count(*) FROM review_records WHERE application_id = $1", work_id)
    finally:
        await conn.close()
    return int(version), int(count)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(caller=callers, work=works, action=st.sampled_from(sorted(FROM)))
async def test_nobody_acts_outside_the_matrix(
    desk: Desk, caller: dict[str, Any], work: dict[str, Any], action: str
) -> None:
    owner_unit = str(uuid.uuid4())
    work_id = await _insert(desk, work, owner_unit)
    headers = _headers(desk, caller, owner_unit)
    body = {"action": action, "expected_version": 5, "opinion": "意见", "reasons": ["理由"]}
    answer = await desk.client.post(f"/works/{work_id}/actions", json=body, headers=headers)
    expected = oracle(caller, work, action)
    assert answer.status_code == expected, (caller, work, action, answer.text)
    version, entries = await _version_and_records(desk, work_id)
    assert (version, entries) == ((6, 1) if expected == 200 else (5, 0))
    if caller["kind"] != "authority":
        read = await desk.client.get(f"/works/{work_id}/records", headers=headers)
        assert read.status_code == (200 if caller["kind"] == "owner" else 404)


_STATUS = {None: 200, Refusal.ROLE: 403, Refusal.UNKNOWN_ACTION: 400}


def test_the_workflow_rules_agree_with_the_oracle_everywhere() -> None:
    """Every combination (the HTTP property above samples them; this walks all of them through the
    decision function the handlers call, visibility aside)."""
    flow = load_workflow()
    role_sets = [
        frozenset(r for r, bit in zip(("acceptance", "review", "approval"), bits, strict=True) if bit)
        for bits in itertools.product((0, 1), repeat=3)
    ]
    callers_all = [{"kind": "owner"}] + [{"kind": "authority", "jurisdiction": "110000", "roles": r} for r in role_sets]
    checked = 0
    for caller, action in itertools.product(callers_all, sorted(FROM)):
        for state, holder, reviewed, extended in itertools.product(
            ["submitted", "returned", "accepted", "approved", "refused", "withdrawn"],
            [None, "self", "someone-else"],
            [False, True],
            [False, True],
        ):
            work = {"state": state, "holder": holder, "reviewed": reviewed, "extended": extended}
            situation = Situation(
                state=state,
                holder={"self": ACCOUNT, "someone-else": "x", None: None}[holder],
                reviewed=reviewed and state == "accepted",
                extended=extended,
            )
            kind = "unit" if caller["kind"] == "owner" else "authority"
            actor = Actor(ACCOUNT, kind, frozenset(caller.get("roles", ())))  # type: ignore[arg-type]
            found = workflow.refusal(flow, action, situation, actor, opinion="意见", reasons=["理由"])
            assert _STATUS.get(found, 409) == oracle(caller, work, action), (caller, work, action, found)
            checked += 1
    assert checked == 9 * 8 * 72
