"""审批流程 as versioned data: the states, the actions, who may take each, and its preconditions.

The flow lives in ``data/workflow.json`` (read by ``data.workflow``, checked by ``parse`` at
start): an authority changes a label, a notice or a precondition without code. The code knows
only the closed set of effects (``Effect``) and the state codes of the database. ``refusal``
decides, purely, whether an actor may take an action on a work in a situation; the handlers load
the situation and apply the effect.

Roles: ``unit`` (the owning unit), ``acceptance`` 受理 / ``review`` 审查 / ``approval`` 审批 (an
authority account's roles), ``authority`` (领取: any authority holding a role of the next step),
``system`` (视为受理, the deadline job).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import msgspec

from .deadlines import Limits
from .types import APPLICATION_TYPES

__all__ = [
    "STATES",
    "Action",
    "Actor",
    "Limits",
    "Refusal",
    "Situation",
    "Workflow",
    "WorkflowError",
    "available",
    "parse",
    "refusal",
]

STATES = ("draft", "submitted", "returned", "accepted", "approved", "refused", "withdrawn")
"""The state codes of ``applications.state`` (migration 0002's CHECK): the data must name exactly these."""

Effect = Literal["submit", "claim", "accept", "return", "withdraw", "review", "approve", "refuse", "extend"]
Role = Literal["unit", "authority", "acceptance", "review", "approval", "system"]
AUTHORITY_ROLES = frozenset({"acceptance", "review", "approval"})
_REQUIRED_EFFECTS = frozenset({"submit", "claim", "accept", "return", "withdraw", "review", "approve", "refuse"})


class WorkflowError(ValueError):
    """The workflow data is inconsistent: the service refuses to start and says where."""


class State(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    label: str
    deadline: Literal["accept", "decide"] | None = None
    final: bool = False


class Action(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename={"sources": "from"}):
    """One action: its label, the role that takes it, from which states, to which (None: stays)."""

    label: str
    role: Role
    sources: list[str]
    effect: Effect
    to: str | None = None
    requires_claim: bool = False
    reasons: Literal["required", "optional"] = "optional"
    opinion: Literal["required", "optional"] = "optional"
    review: Literal["required", "absent"] | None = None
    """``required``: a 审查意见 on this revision first; ``absent``: only before one."""
    notice: str | None = None
    once: bool = False
    """At most once per work (延期)."""

    @property
    def releases_claim(self) -> bool:
        """After it the next step is someone else's (领取 again); 领取 and 延期 keep the holder."""
        return self.effect not in ("claim", "extend")


class LimitsData(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    accept: int = 5
    decide: int = 15
    extension: int = 10


class Workflow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    version: str
    limits: LimitsData
    standard_fail_blocks: list[str]
    """工作类型 whose 提交 a failing 满足情况 blocks (4.2.3, 4.3); ``incomplete`` never blocks."""
    roles: dict[str, str]
    states: dict[str, State]
    actions: dict[str, Action]

    @property
    def deadline_limits(self) -> Limits:
        return Limits(accept=self.limits.accept, decide=self.limits.decide, extension=self.limits.extension)

    def by_effect(self, effect: str) -> tuple[str, Action]:
        """The (first) action with ``effect``: the handlers' entry into the data."""
        return next((code, a) for code, a in self.actions.items() if a.effect == effect and a.role != "system")

    def action(self, code: str) -> Action | None:
        return self.actions.get(code)

    def standard_blocks(self, application_type: str, overall: str) -> bool:
        """A ``fail`` of 满足情况 blocks 提交 of the types the data names; ``incomplete`` never does."""
        return overall == "fail" and application_type in self.standard_fail_blocks


def parse(raw: bytes) -> Workflow:
    """Decode and validate the workflow data (raises WorkflowError naming the problem)."""
    try:
        flow = msgspec.json.decode(raw, type=Workflow)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise WorkflowError(f"workflow data: {exc}") from None
    _validate(flow)
    return flow


def _validate(flow: Workflow) -> None:
    if set(flow.states) != set(STATES):
        raise WorkflowError(f"workflow data: states must be exactly {sorted(STATES)}")
    if not set(flow.roles) >= {"unit", "acceptance", "review", "approval", "system"}:
        raise WorkflowError("workflow data: roles must label unit, acceptance, review, approval and system")
    if min(flow.limits.accept, flow.limits.decide, flow.limits.extension) < 1:
        raise WorkflowError("workflow data: limits must be at least one working day")
    unknown = set(flow.standard_fail_blocks) - set(APPLICATION_TYPES)
    if unknown:
        raise WorkflowError(f"workflow data: standard_fail_blocks names unknown 工作类型 {sorted(unknown)}")
    missing = _REQUIRED_EFFECTS - {a.effect for a in flow.actions.values()}
    if missing:
        raise WorkflowError(f"workflow data: no action has the effect(s) {sorted(missing)}")
    for code, action in flow.actions.items():
        _validate_action(flow, code, action)


def _validate_action(flow: Workflow, code: str, action: Action) -> None:
    where = f"workflow data: actions.{code}"
    for state in [*action.sources, *([action.to] if action.to else [])]:
        if state not in flow.states:
            raise WorkflowError(f"{where}: unknown state {state!r}")
    if not action.sources or any(flow.states[s].final for s in action.sources):
        raise WorkflowError(f"{where}: must start from non-final states")
    if action.effect in ("return", "refuse") and action.reasons != "required":
        raise WorkflowError(f"{where}: {action.effect} must require reasons (one notice of all of them)")
    if action.effect == "refuse" and not action.notice:
        raise WorkflowError(f"{where}: refusal must carry the notice of the right to 行政复议 / 行政诉讼")
    moves = action.effect not in ("claim", "review", "extend")
    if moves != (action.to is not None):
        raise WorkflowError(f"{where}: effect {action.effect} {'needs' if moves else 'takes no'} target state")


# --- deciding -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Situation:
    """What the rules need to know of a work: its state, its holder (领取), whether 审查 gave
    its opinion on this revision, and whether the decision deadline was extended."""

    state: str
    holder: str | None = None
    reviewed: bool = False
    extended: bool = False


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: ``kind`` unit / authority / system, with an authority's roles."""

    account_id: str
    kind: Literal["unit", "authority", "system"]
    roles: frozenset[str] = frozenset()


class Refusal(enum.Enum):
    """Why an action is refused, in the order the checks run."""

    UNKNOWN_ACTION = "unknown_action"
    ROLE = "role"
    STATE = "state"
    NOT_CLAIMED = "not_claimed"
    HELD_BY_OTHER = "held_by_other"
    NEEDS_REVIEW = "needs_review"
    ALREADY_REVIEWED = "already_reviewed"
    ALREADY_DONE = "already_done"
    REASONS_REQUIRED = "reasons_required"
    OPINION_REQUIRED = "opinion_required"


def _preconditions_hold(action: Action, situation: Situation) -> bool:
    if situation.state not in action.sources:
        return False
    if action.review == "required" and not situation.reviewed:
        return False
    if action.review == "absent" and situation.reviewed:
        return False
    return not (action.once and situation.extended)


def claimable_roles(flow: Workflow, situation: Situation) -> frozenset[str]:
    """The authority roles whose step is next: those of the actions needing a 领取 now."""
    return frozenset(a.role for a in flow.actions.values() if a.requires_claim and _preconditions_hold(a, situation))


def _has_role(action: Action, actor: Actor) -> bool:
    if action.role in ("unit", "system"):
        return actor.kind == action.role
    if actor.kind != "authority":
        return False
    if action.role == "authority":
        return bool(actor.roles & AUTHORITY_ROLES)
    return action.role in actor.roles


def refusal(
    flow: Workflow,
    code: str,
    situation: Situation,
    actor: Actor,
    *,
    opinion: str | None = None,
    reasons: Iterable[str] = (),
) -> Refusal | None:
    """Whether ``actor`` may take action ``code`` now (None) or why not."""
    action = flow.actions.get(code)
    if action is None:
        return Refusal.UNKNOWN_ACTION
    if not _has_role(action, actor):
        return Refusal.ROLE
    if situation.state not in action.sources:
        return Refusal.STATE
    return _step_refusal(flow, action, situation, actor) or _content_refusal(action, opinion, reasons)


def _step_refusal(flow: Workflow, action: Action, situation: Situation, actor: Actor) -> Refusal | None:
    if action.effect == "claim":
        if situation.holder not in (None, actor.account_id):
            return Refusal.HELD_BY_OTHER
        return None if actor.roles & claimable_roles(flow, situation) else Refusal.ROLE
    if action.requires_claim and situation.holder != actor.account_id:
        return Refusal.HELD_BY_OTHER if situation.holder else Refusal.NOT_CLAIMED
    if action.review == "required" and not situation.reviewed:
        return Refusal.NEEDS_REVIEW
    if action.review == "absent" and situation.reviewed:
        return Refusal.ALREADY_REVIEWED
    if action.once and situation.extended:
        return Refusal.ALREADY_DONE
    return None


def _content_refusal(action: Action, opinion: str | None, reasons: Iterable[str]) -> Refusal | None:
    if action.reasons == "required" and not [r for r in reasons if r.strip()]:
        return Refusal.REASONS_REQUIRED
    if action.opinion == "required" and not (opinion or "").strip():
        return Refusal.OPINION_REQUIRED
    return None


def available(flow: Workflow, situation: Situation, actor: Actor) -> list[str]:
    """The actions the review screen offers ``actor`` now (reasons and opinion still to be typed)."""
    offered = []
    for code, action in flow.actions.items():
        if action.effect == "claim" and situation.holder == actor.account_id:
            continue
        found = refusal(flow, code, situation, actor, opinion="-", reasons=["-"])
        if found is None and action.role != "system":
            offered.append(code)
    return offered


def labels(flow: Workflow) -> Mapping[str, str]:
    """State code → Chinese label."""
    return {code: state.label for code, state in flow.states.items()}
