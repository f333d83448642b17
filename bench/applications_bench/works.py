"""The rows one piece of work (工作) writes in the applications database: its ``applications`` row,
its saved pages (the pages of its type, as the portal saves them) and the 审批记录 its state implies.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from services.applications.data import catalog
from services.applications.model.provinces import PROVINCES

from ..staffing_bench.seed import new_id

__all__ = ["APPLICATION_COLUMNS", "LEVELS", "PAGE_COLUMNS", "RECORD_COLUMNS", "Filed", "Unit", "at", "rows_of"]

_AUTHORITY = "省自然资源厅"
_EVALUATION = ("pass", "pass", "pass", "incomplete")

APPLICATION_COLUMNS = (
    *("id", "unit_id", "credit_code", "unit_name", "application_type", "certificate_type", "jurisdiction"),
    *("state", "version", "revision", "levels", "evaluation_overall", "submitted_at", "created_at", "updated_at"),
    *("holder_account_id", "holder_name", "claimed_at", "submitted_on", "accept_due", "accepted_on"),
    *("decision_due", "decided_on", "extended", "deemed", "reviewed_revision"),
)
PAGE_COLUMNS = ("application_id", "page_key", "field_values", "documents", "saved_at")
RECORD_COLUMNS = (
    *("application_id", "revision", "action", "from_state", "to_state", "actor_account", "actor_name"),
    *("actor_role", "authority_name", "opinion", "reasons", "recorded_at"),
)
LEVELS = json.dumps(
    [
        {"category": "工程测量", "level": "乙级", "sub_items": []},
        {"category": "界线与不动产测绘", "level": "乙级", "sub_items": []},
    ],
    ensure_ascii=False,
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of the seed: id, name, credit code, province (jurisdiction) and its number."""

    unit_id: str
    unit_name: str
    credit_code: str
    province: str
    number: int

    def address(self) -> dict[str, str]:
        return {"province": self.province, "detail": f"测绘路{self.number % 900 + 1}号"}

    def address_text(self) -> str:
        return PROVINCES[self.province] + self.address()["detail"]


@dataclass(frozen=True, slots=True)
class Filed:
    """One piece of work to write: its type, state and days (relative to ``today``)."""

    application_type: str
    certificate_type: str
    state: str
    created: dt.datetime
    submitted: dt.date | None
    accepted: dt.date | None = None
    decided: dt.date | None = None
    holder: str | None = None
    extended: bool = False


def at(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC) + dt.timedelta(seconds=seconds % 28_800)


def _application(unit: Unit, filed: Filed, application_id: str) -> tuple[Any, ...]:
    filed_once = filed.state != "draft"
    revision = 0 if filed_once else -1
    accept_due = filed.submitted + dt.timedelta(days=7) if filed.submitted else None
    decision_due = filed.accepted + dt.timedelta(days=35 if filed.extended else 21) if filed.accepted else None
    submitted_at = at(filed.submitted, unit.number) if filed.submitted else None
    reviewed = revision if filed.state in ("approved", "refused") else None
    return (
        *(application_id, unit.unit_id, unit.credit_code, unit.unit_name, filed.application_type),
        *(filed.certificate_type, unit.province, filed.state, 12 if filed_once else 6, revision, LEVELS),
        *(_EVALUATION[unit.number % 4] if filed_once else None, submitted_at, filed.created, filed.created),
        *(filed.holder, "省厅经办人" if filed.holder else None, submitted_at if filed.holder else None),
        *(filed.submitted, accept_due if filed.submitted else None, filed.accepted, decision_due, filed.decided),
        *(filed.extended, False, reviewed),
    )


def _page_values(key: str, unit: Unit) -> dict[str, Any]:
    if key == "unit_info":
        return {
            "unit_name": unit.unit_name, "credit_code": unit.credit_code, "registered_address": unit.address(),
            "office_address": unit.address_text(), "legal_representative": "王伟", "nature": "企业",
            "founded_on": "2008-05-12", "contact": "李娜", "contact_phone": "0591-87654321", "postcode": "350001",
        }  # fmt: skip
    if key == "profile":
        return {"profile": "本单位成立于2008年，主要从事工程测量、不动产测绘和地理信息系统工程。" * 4}
    if key == "leaders":
        person = {"name": "王伟", "id_number": "350102197001011234", "position": "总经理", "mobile": "13800138000"}
        return {"legal_person": [person], "qualification_leaders": [person]}
    if key == "scope":
        return {"levels": json.loads(LEVELS)}
    return {}


def _pages(unit: Unit, filed: Filed, application_id: str) -> list[tuple[Any, ...]]:
    rows = []
    for laid in catalog().layout_of(filed.application_type):
        spec = laid.spec
        documents = {u.purpose: [new_id(), new_id()] for u in spec.uploads}
        values = json.dumps(_page_values(spec.key, unit), ensure_ascii=False)
        row = (application_id, spec.key, values, json.dumps(documents, ensure_ascii=False), filed.created)
        rows.append(row)
    return rows


_TRAIL = {
    "submitted": ("submit",),
    "returned": ("submit", "return", "submit_after_return"),
    "withdrawn": ("submit", "withdraw"),
    "accepted": ("submit", "accept"),
    "approved": ("submit", "accept", "review", "approve"),
    "refused": ("submit", "accept", "review", "refuse"),
}
_STEPS = {  # action → (from, to, role, opinion, reasons)
    "submit": ("draft", "submitted", "unit", None, "[]"),
    "return": ("submitted", "returned", "acceptance", None, '["营业执照扫描件不清晰"]'),
    "submit_after_return": ("returned", "returned", "unit", None, "[]"),
    "withdraw": ("submitted", "withdrawn", "unit", None, "[]"),
    "accept": ("submitted", "accepted", "acceptance", None, "[]"),
    "review": ("accepted", "accepted", "review", "经审查，符合资质标准", "[]"),
    "approve": ("accepted", "approved", "approval", "同意", "[]"),
    "refuse": ("accepted", "refused", "approval", None, '["技术人员数量不符合资质标准"]'),
}


def _records(unit: Unit, filed: Filed, application_id: str) -> list[tuple[Any, ...]]:
    rows = []
    for step, action in enumerate(_TRAIL.get(filed.state, ())):
        if action == "submit_after_return":
            continue  # 退回补齐 awaiting the unit: its second 提交 has not come yet
        source, target, role, opinion, reasons = _STEPS[action]
        on = filed.decided if action in ("approve", "refuse") else (filed.accepted or filed.submitted)
        assert on is not None and filed.submitted is not None
        recorded = at(filed.submitted if step == 0 else on, unit.number + step)
        actor = unit.unit_name if role == "unit" else "省厅经办人"
        authority = None if role == "unit" else f"{PROVINCES[unit.province]}{_AUTHORITY}"
        account = unit.unit_id if role == "unit" else f"authority-{unit.number % 7}"
        rows.append((application_id, 0, action, source, target, account, actor, role, authority,
                     opinion, reasons, recorded))  # fmt: skip
    return rows


def rows_of(
    unit: Unit, filed: Filed, application_id: str
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The work's ``applications`` row, its pages and its 审批记录."""
    return (
        _application(unit, filed, application_id),
        _pages(unit, filed, application_id),
        _records(unit, filed, application_id),
    )
