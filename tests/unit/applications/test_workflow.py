"""审批流程 as data: the shipped data is valid, a broken one is refused at start, and the rules
(role, state, 领取, a 审查意见 before 审批, reasons, 延期 once) decide as the issue says."""

from __future__ import annotations

import json

import pytest

from services.applications.data.workflow import WORKFLOW_FILE, load_workflow
from services.applications.model import workflow
from services.applications.model.workflow import Actor, Refusal, Situation

FLOW = load_workflow()
UNIT = Actor("unit-1", "unit")
SYSTEM = Actor("service:applications", "system")


def authority(*roles: str, account: str = "a-1") -> Actor:
    return Actor(account, "authority", frozenset(roles))


def test_the_shipped_data_names_every_state_action_and_notice() -> None:
    assert set(FLOW.states) == set(workflow.STATES)
    assert FLOW.actions["return"].reasons == "required"
    notice = FLOW.actions["refuse"].notice or ""
    assert "行政复议" in notice and "行政诉讼" in notice
    assert FLOW.deadline_limits == workflow.Limits(accept=5, decide=15, extension=10)


def _broken(change: dict[str, object], action: str = "refuse") -> bytes:
    raw = json.loads(WORKFLOW_FILE.read_bytes())
    raw["actions"][action].update(change)
    return json.dumps(raw).encode()


@pytest.mark.parametrize(
    ("change", "action", "says"),
    [
        ({"notice": None}, "refuse", "行政复议"),
        ({"reasons": "optional"}, "return", "must require reasons"),
        ({"to": "finished"}, "approve", "unknown state"),
        ({"from": ["approved"]}, "extend", "non-final"),
        ({"to": None}, "accept", "needs target"),
        ({"role": "clerk"}, "accept", "role"),
    ],
)
def test_broken_data_is_refused_naming_where(change: dict[str, object], action: str, says: str) -> None:
    with pytest.raises(workflow.WorkflowError, match=says):
        workflow.parse(_broken(change, action))


def test_the_unit_submits_and_withdraws_only_before_acceptance() -> None:
    assert workflow.refusal(FLOW, "submit", Situation("draft"), UNIT) is None
    assert workflow.refusal(FLOW, "submit", Situation("returned"), UNIT) is None
    assert workflow.refusal(FLOW, "withdraw", Situation("submitted"), UNIT) is None
    assert workflow.refusal(FLOW, "withdraw", Situation("accepted"), UNIT) is Refusal.STATE
    assert workflow.refusal(FLOW, "accept", Situation("submitted"), UNIT) is Refusal.ROLE
    assert workflow.refusal(FLOW, "withdraw", Situation("submitted"), authority("acceptance")) is Refusal.ROLE


def test_claim_comes_first_and_only_the_holder_acts() -> None:
    clerk = authority("acceptance")
    assert workflow.refusal(FLOW, "accept", Situation("submitted"), clerk) is Refusal.NOT_CLAIMED
    assert workflow.refusal(FLOW, "claim", Situation("submitted"), clerk) is None
    held = Situation("submitted", holder="a-1")
    assert workflow.refusal(FLOW, "accept", held, clerk) is None
    other = authority("acceptance", account="a-2")
    assert workflow.refusal(FLOW, "accept", held, other) is Refusal.HELD_BY_OTHER
    assert workflow.refusal(FLOW, "claim", held, other) is Refusal.HELD_BY_OTHER


def test_claim_needs_the_role_of_the_next_step() -> None:
    accepted = Situation("accepted")
    assert workflow.refusal(FLOW, "claim", Situation("submitted"), authority("review")) is Refusal.ROLE
    assert workflow.refusal(FLOW, "claim", accepted, authority("review")) is None
    assert workflow.refusal(FLOW, "claim", accepted, authority("approval")) is Refusal.ROLE
    reviewed = Situation("accepted", reviewed=True)
    assert workflow.refusal(FLOW, "claim", reviewed, authority("approval")) is None
    assert workflow.refusal(FLOW, "claim", reviewed, authority("review")) is Refusal.ROLE


def test_approval_needs_a_review_opinion_on_this_revision() -> None:
    approver = authority("approval", "review")
    held = Situation("accepted", holder="a-1")
    assert workflow.refusal(FLOW, "approve", held, approver) is Refusal.NEEDS_REVIEW
    assert workflow.refusal(FLOW, "review", held, approver, opinion="符合条件") is None
    reviewed = Situation("accepted", holder="a-1", reviewed=True)
    assert workflow.refusal(FLOW, "approve", reviewed, approver) is None
    assert workflow.refusal(FLOW, "review", reviewed, approver, opinion="再看") is Refusal.ALREADY_REVIEWED


def test_reasons_and_opinions_are_required_where_the_data_says() -> None:
    held = Situation("submitted", holder="a-1")
    clerk = authority("acceptance")
    assert workflow.refusal(FLOW, "return", held, clerk) is Refusal.REASONS_REQUIRED
    assert workflow.refusal(FLOW, "return", held, clerk, reasons=["  "]) is Refusal.REASONS_REQUIRED
    assert workflow.refusal(FLOW, "return", held, clerk, reasons=["营业执照不清晰"]) is None
    reviewed = Situation("accepted", holder="a-1", reviewed=True)
    assert workflow.refusal(FLOW, "refuse", reviewed, authority("approval")) is Refusal.REASONS_REQUIRED
    assert workflow.refusal(FLOW, "review", Situation("accepted", holder="a-1"), authority("review")) is (
        Refusal.OPINION_REQUIRED
    )


def test_extension_once_by_approval_with_a_reason() -> None:
    approver = authority("approval")
    accepted = Situation("accepted")
    assert workflow.refusal(FLOW, "extend", accepted, approver) is Refusal.OPINION_REQUIRED
    assert workflow.refusal(FLOW, "extend", accepted, approver, opinion="需现场核查") is None
    done = Situation("accepted", extended=True)
    assert workflow.refusal(FLOW, "extend", done, approver, opinion="再延") is Refusal.ALREADY_DONE
    assert workflow.refusal(FLOW, "extend", accepted, authority("review"), opinion="x") is Refusal.ROLE


def test_deemed_acceptance_is_the_systems_alone() -> None:
    assert workflow.refusal(FLOW, "deem", Situation("submitted"), SYSTEM) is None
    assert workflow.refusal(FLOW, "deem", Situation("submitted"), authority("acceptance")) is Refusal.ROLE
    assert workflow.refusal(FLOW, "nonsense", Situation("submitted"), SYSTEM) is Refusal.UNKNOWN_ACTION


def test_the_review_screen_offers_only_what_the_caller_may_do() -> None:
    assert workflow.available(FLOW, Situation("submitted"), authority("acceptance")) == ["claim"]
    held = Situation("submitted", holder="a-1")
    assert workflow.available(FLOW, held, authority("acceptance")) == ["accept", "return"]
    assert workflow.available(FLOW, held, authority("approval")) == []
    assert workflow.available(FLOW, Situation("submitted"), UNIT) == ["withdraw"]
    reviewed = Situation("accepted", holder="a-1", reviewed=True)
    assert workflow.available(FLOW, reviewed, authority("approval")) == ["approve", "refuse", "extend"]


def test_a_failing_standard_blocks_only_the_roster_types_and_incomplete_never() -> None:
    for kind in ("资质申请", "复审换证", "专业范围变更", "补充和修改数据"):
        assert FLOW.standard_blocks(kind, "fail")
        assert not FLOW.standard_blocks(kind, "incomplete") and not FLOW.standard_blocks(kind, "pass")
    assert not FLOW.standard_blocks("基本信息变更", "fail")
